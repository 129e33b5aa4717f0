package dev.tgregistry.users.analytics;

import dev.tgregistry.users.db.Quarters;
import dev.tgregistry.users.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * SQL of the dashboard's analytics, over the rollups of migration V10 (kept by triggers). A day is a range of
 * instants computed by the service in the requested zone ({@link DayWindow}), so no zone name reaches SQL: whole
 * quarters come from the rollups, the rest of a day (only for offsets that are not whole quarter hours) from the
 * base table's index on the time column.
 */
@ApplicationScoped
public class AnalyticsRepository {
    /** The days: $1 lo, $2 qlo, $3 qhi, $4 hi (arrays, one element per day, in order). */
    private static final String DAYS = "unnest($1::timestamptz[], $2::timestamptz[], $3::timestamptz[], $4::timestamptz[]) "
            + "WITH ORDINALITY AS d(lo, qlo, qhi, hi, i)";

    static final String DAILY = "SELECT d.i, "
            + perDay("rollup_new_user_quarters", "users", "users", "first_seen_at") + " AS new_users, "
            + perDay("rollup_booking_quarters", "bookings", "bookings", "created_at") + " AS bookings, "
            + perDay("rollup_event_quarters", "events", "events", "created_at") + " AS events "
            + "FROM " + DAYS + " ORDER BY d.i";

    /** Row 0: users first seen before the first day ($5 = its start's quarter, $6 = its start); then new users per day. */
    static final String GROWTH = "SELECT 0::bigint AS i, (COALESCE((SELECT sum(users) FROM rollup_new_user_quarters WHERE bucket < $5), 0) "
            + "+ CASE WHEN $5 < $6 THEN (SELECT count(*) FROM users WHERE first_seen_at >= $5 AND first_seen_at < $6) ELSE 0 END)::bigint AS new_users "
            + "UNION ALL SELECT d.i, " + perDay("rollup_new_user_quarters", "users", "users", "first_seen_at")
            + " FROM " + DAYS + " ORDER BY 1";

    static final String TOP_EVENTS = "SELECT event_type, events FROM rollup_event_types WHERE events > 0 "
            + "ORDER BY events DESC, event_type LIMIT 10";

    static final String BOOKING_STATUSES = "SELECT course_id, course_stream, confirmed, bookings FROM rollup_booking_statuses "
            + "WHERE bookings <> 0";

    /**
     * Per lesson type: registrants (distinct users with a registration of the type), those of them who clicked the
     * type's lesson link (distinct users), and clickers without a registration of the type. Registrants are counted
     * per type in the order of the (lesson_type, user_id) index and clickers are probed into it: a DISTINCT of all
     * registrations joined to the clickers hashed 100k rows per request (95 ms at 100k registrations; this is 10 ms).
     */
    static final String LESSON_CONVERSION = """
            SELECT COALESCE(r.lesson_type, c.lesson_type) AS lesson_type,
                   COALESCE(r.registrations, 0) AS registrations,
                   COALESCE(c.attendances, 0) AS attendances,
                   COALESCE(c.clickers - c.attendances, 0) AS unregistered_clickers
            FROM (SELECT lesson_type, count(DISTINCT user_id) AS registrations
                    FROM free_lesson_registrations WHERE lesson_type IS NOT NULL GROUP BY lesson_type) r
            FULL JOIN (SELECT k.lesson_type, count(*) AS clickers,
                              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM free_lesson_registrations f
                                                              WHERE f.lesson_type = k.lesson_type AND f.user_id = k.user_id)) AS attendances
                         FROM rollup_lesson_clickers k GROUP BY k.lesson_type) c ON c.lesson_type = r.lesson_type
            ORDER BY registrations DESC, lesson_type
            """;

    private final Pool pool;

    public AnalyticsRepository(Pool pool) {
        this.pool = pool;
    }

    /** One day's count: whole quarters from the rollup, the day's edges outside whole quarters from the base table. */
    private static String perDay(String rollup, String counter, String table, String time) {
        return "(COALESCE((SELECT sum(q." + counter + ") FROM " + rollup + " q WHERE q.bucket >= d.qlo AND q.bucket < d.qhi), 0)"
                + " + CASE WHEN d.lo < d.qlo THEN (SELECT count(*) FROM " + table + " t WHERE t." + time + " >= d.lo AND t."
                + time + " < d.qlo) ELSE 0 END"
                + " + CASE WHEN d.qhi < d.hi THEN (SELECT count(*) FROM " + table + " t WHERE t." + time + " >= d.qhi AND t."
                + time + " < d.hi) ELSE 0 END)::bigint";
    }

    /** new_users, bookings, events per day of the window, oldest first. */
    public Uni<List<long[]>> daily(DayWindow window) {
        List<OffsetDateTime[]> b = window.bounds();
        return pool.preparedQuery(DAILY).execute(Tuple.of(b.get(0), b.get(1), b.get(2), b.get(3)))
                .map(rows -> Rows.map(rows, row -> new long[] {row.getLong("new_users"), row.getLong("bookings"), row.getLong("events")}));
    }

    /** Users first seen before the window, then new users per day of the window, oldest first. */
    public Uni<List<Long>> growth(DayWindow window) {
        List<OffsetDateTime[]> b = window.bounds();
        OffsetDateTime start = b.get(0)[0];
        OffsetDateTime startQuarter = DayWindow.utc(Quarters.atOrBefore(start.toInstant()));
        Tuple args = Tuple.tuple(List.of(b.get(0), b.get(1), b.get(2), b.get(3), startQuarter, start));
        return pool.preparedQuery(GROWTH).execute(args).map(rows -> Rows.map(rows, row -> row.getLong("new_users")));
    }

    public Uni<List<TopEvent>> topEvents() {
        return pool.preparedQuery(TOP_EVENTS).execute()
                .map(rows -> Rows.map(rows, row -> new TopEvent(row.getString("event_type"), row.getLong("events"))));
    }

    public Uni<List<BookingStatusCount>> bookingStatuses() {
        return pool.preparedQuery(BOOKING_STATUSES).execute().map(rows -> Rows.map(rows, AnalyticsRepository::statusCount));
    }

    public Uni<List<LessonConversion>> lessonConversion() {
        return pool.preparedQuery(LESSON_CONVERSION).execute().map(rows -> Rows.map(rows, row -> LessonConversion.of(
                row.getString("lesson_type"), row.getLong("registrations"), row.getLong("attendances"),
                row.getLong("unregistered_clickers"))));
    }

    private static BookingStatusCount statusCount(Row row) {
        return new BookingStatusCount(row.getInteger("course_id"), row.getString("course_stream"), row.getInteger("confirmed"),
                row.getLong("bookings"));
    }

    /** Bookings of one course, stream and status (each may be null). */
    record BookingStatusCount(Integer courseId, String courseStream, Integer confirmed, long bookings) {
    }
}
