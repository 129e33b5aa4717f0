package dev.tgregistry.users.search;

import dev.tgregistry.users.booking.BookingStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.Map;

@ApplicationScoped
public class SearchStatsRepository {
    static final String TOTALS = """
            SELECT (SELECT count(*) FROM users) AS total_users,
                   (SELECT count(DISTINCT lower(left(COALESCE(NULLIF(username, ''), first_name), 1))) FROM users
                     WHERE COALESCE(NULLIF(username, ''), first_name) <> '') AS index_size,
                   (SELECT count(*) FROM users u
                     WHERE NOT EXISTS (SELECT 1 FROM bookings b WHERE b.user_id = u.user_id AND b.confirmed = %d)) AS non_course
            """.formatted(BookingStatus.CONFIRMED);
    static final String CONFIRMED_PER_STREAM = """
            SELECT course_stream, count(DISTINCT user_id) AS students FROM bookings
            WHERE confirmed = %d AND course_stream IS NOT NULL GROUP BY course_stream
            """.formatted(BookingStatus.CONFIRMED);

    /** The three counts over users. */
    record Totals(long totalUsers, long indexSize, long nonCourse) {
        static Totals of(Row row) {
            return new Totals(row.getLong("total_users"), row.getLong("index_size"), row.getLong("non_course"));
        }
    }

    private final Pool pool;

    public SearchStatsRepository(Pool pool) {
        this.pool = pool;
    }

    Uni<Totals> totals() {
        return pool.query(TOTALS).execute().map(rows -> Totals.of(rows.iterator().next()));
    }

    Uni<Map<String, Long>> confirmedPerStream() {
        return pool.query(CONFIRMED_PER_STREAM).execute().map(rows -> {
            Map<String, Long> perStream = new HashMap<>();
            rows.forEach(row -> perStream.put(row.getString("course_stream"), row.getLong("students")));
            return perStream;
        });
    }
}
