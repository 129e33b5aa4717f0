package dev.tgregistry.users.segment;

import dev.tgregistry.users.db.Rows;
import dev.tgregistry.users.person.UserView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** The users a filter selects: a keyset page, or how many there are. */
@ApplicationScoped
public class SegmentUserRepository {
    static final String SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";
    static final String READ_ONLY = "SET TRANSACTION READ ONLY";
    static final String CUSTOM_PLANS = "SET LOCAL plan_cache_mode = force_custom_plan";
    static final String FOLDED = "SELECT folded_up_to FROM event_summary_state";

    private final Pool pool;

    public SegmentUserRepository(Pool pool) {
        this.pool = pool;
    }

    /** Up to {@code limit} users in {@code order} after {@code after} (null = from the start). */
    public Uni<List<UserView>> page(SegmentFilter filter, Instant now, UserOrder order, Position after, int limit) {
        return read(filter, (connection, folded) -> {
            List<Object> parameters = new ArrayList<>();
            String fromWhere = SegmentSql.fromWhere(filter, now, folded, parameters,
                    after == null ? null : values -> order.after(after.at(), after.userId(), values));
            parameters.add(limit);
            String sql = "SELECT " + SegmentSql.USER_COLUMNS + fromWhere + order.orderBy() + " LIMIT $" + parameters.size();
            return connection.preparedQuery(sql).execute(Tuple.from(parameters)).map(rows -> Rows.map(rows, UserView::of));
        });
    }

    public Uni<Long> count(SegmentFilter filter, Instant now) {
        return read(filter, (connection, folded) -> {
            List<Object> parameters = new ArrayList<>();
            String sql = SegmentSql.count(filter, now, folded, parameters);
            return connection.preparedQuery(sql).execute(Tuple.from(parameters)).map(rows -> rows.iterator().next().getLong(0));
        });
    }

    /**
     * Runs {@code statement} in a read-only transaction that plans it for its own values: a segment's cost depends on
     * them ({@code language=fa} or {@code en}, a window of a day or of a year), and the plan PostgreSQL caches for a
     * prepared statement after five executions fits none of them (the benchmark's attribute + grade_year + last_seen
     * count: 47 ms with its own plan, 272-281 ms with the cached one). For a filter that reads the event summary, the
     * transaction is repeatable read and first reads the summary's watermark, so the statement sees the summary exactly
     * as folded up to it (and the watermark is a plain parameter, which the planner estimates from the statistics).
     */
    private <T> Uni<T> read(SegmentFilter filter, BiFunction<SqlClient, Long, Uni<T>> statement) {
        boolean summary = SegmentSql.readsSummary(filter);
        return pool.withTransaction(connection -> connection.query(summary ? SNAPSHOT : READ_ONLY).execute()
                .chain(() -> connection.query(CUSTOM_PLANS).execute())
                .chain(() -> summary ? connection.query(FOLDED).execute().map(rows -> rows.iterator().next().getLong(0))
                        : Uni.createFrom().<Long>nullItem())
                .chain(folded -> statement.apply(connection, folded)));
    }

    /** A row a page ended on: its order key (null when the user has no such time, or for the id order) and id. */
    public record Position(Instant at, long userId) {
    }
}
