package dev.tgregistry.users.segment;

import dev.tgregistry.users.db.Rows;
import dev.tgregistry.users.user.UserView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The users a filter selects: a keyset page, or how many there are. */
@ApplicationScoped
public class SegmentUserRepository {
    private final Pool pool;

    public SegmentUserRepository(Pool pool) {
        this.pool = pool;
    }

    /** Up to {@code limit} users in {@code order} after {@code after} (null = from the start). */
    public Uni<List<UserView>> page(SegmentFilter filter, Instant now, UserOrder order, Position after, int limit) {
        List<Object> parameters = new ArrayList<>();
        String fromWhere = SegmentSql.fromWhere(filter, now, parameters,
                after == null ? null : values -> order.after(after.at(), after.userId(), values));
        parameters.add(limit);
        String sql = "SELECT " + SegmentSql.USER_COLUMNS + fromWhere + order.orderBy() + " LIMIT $" + parameters.size();
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).map(rows -> Rows.map(rows, UserView::of));
    }

    public Uni<Long> count(SegmentFilter filter, Instant now) {
        List<Object> parameters = new ArrayList<>();
        String sql = SegmentSql.count(filter, now, parameters);
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).map(rows -> rows.iterator().next().getLong(0));
    }

    /** A row a page ended on: its order key (null when the user has no such time, or for the id order) and id. */
    public record Position(Instant at, long userId) {
    }
}
