package dev.tgregistry.users.user;

import dev.tgregistry.users.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** SQL of the original dashboard's user list and of the totals it shows per user. */
@ApplicationScoped
public class UserListRepository {
    static final String TOTALS = """
            SELECT t.user_id,
                   (SELECT count(*) FROM bookings b WHERE b.user_id = t.user_id) AS total_bookings,
                   (SELECT count(*) FROM events e WHERE e.user_id = t.user_id) AS total_events,
                   (SELECT count(*) FROM free_lesson_registrations f WHERE f.user_id = t.user_id) AS total_free_lessons,
                   lb.course_stream AS latest_stream, lb.confirmed AS latest_payment_status,
                   lb.username AS booking_username, lb.first_name AS booking_first_name
            FROM unnest($1::bigint[]) AS t(user_id)
            LEFT JOIN LATERAL (SELECT course_stream, confirmed, username, first_name FROM bookings b
                               WHERE b.user_id = t.user_id ORDER BY created_at DESC, id DESC LIMIT 1) lb ON true
            """;

    /** A users row of a list page. */
    record Person(long userId, String username, String firstName, String lastName, java.time.Instant lastSeenAt) {
        static Person of(Row row) {
            return new Person(row.getLong("user_id"), row.getString("username"), row.getString("first_name"),
                    row.getString("last_name"), Rows.instant(row, "last_seen_at"));
        }
    }

    private final Pool pool;

    public UserListRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Long> count(UserListQuery query) {
        List<Object> parameters = new ArrayList<>();
        String sql = query.countSql(parameters);
        return pool.preparedQuery(sql).execute(Tuple.tuple(parameters)).map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<List<Person>> page(UserListQuery query, int limit, long offset) {
        List<Object> parameters = new ArrayList<>();
        String sql = query.pageSql(parameters, limit, offset);
        return pool.preparedQuery(sql).execute(Tuple.tuple(parameters)).map(rows -> Rows.map(rows, Person::of));
    }

    public Uni<Map<Long, UserTotals>> totals(Long[] userIds) {
        return pool.preparedQuery(TOTALS).execute(Tuple.of(userIds)).map(rows -> {
            Map<Long, UserTotals> byUser = new HashMap<>();
            rows.forEach(row -> byUser.put(row.getLong("user_id"), UserTotals.of(row)));
            return byUser;
        });
    }
}
