package dev.tgregistry.users.stream;

import dev.tgregistry.users.web.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class StreamRepository {
    /**
     * One row per user (their newest confirmed booking in the stream); names from users, else from the booking.
     * Bookings of erased users (user_id below 0, see privacy/PersonalData) belong to nobody and are left out.
     * Keyset by user id: $2 = the last user id of the previous page (0 at the start), $3 = rows to read.
     */
    static final String CONFIRMED_STUDENTS = """
            SELECT s.user_id, s.course_stream,
                   CASE WHEN u.username IS NULL AND u.first_name IS NULL THEN s.username ELSE u.username END AS username,
                   CASE WHEN u.username IS NULL AND u.first_name IS NULL THEN s.first_name ELSE u.first_name END AS first_name,
                   u.last_name
            FROM (SELECT DISTINCT ON (b.user_id) b.user_id, b.course_stream, b.username, b.first_name
                  FROM bookings b WHERE b.course_stream = $1 AND b.confirmed = 2 AND b.user_id > GREATEST($2::bigint, 0)
                  ORDER BY b.user_id, b.created_at DESC, b.id DESC
                  LIMIT $3) s
            LEFT JOIN users u ON u.user_id = s.user_id
            ORDER BY s.user_id
            """;
    /**
     * $1 stream; $2 the viewer campaign's course id (text) or null for no viewers; $3 the campaign's first day (UTC).
     * Booking rows: each user's newest booking in the stream; activity over all their events. Viewer rows:
     * view_program of the course since $3 by users without a booking in the stream; names from users, else the
     * booking's copy, else the newest view's details.
     */
    static final String ROSTER = """
            WITH booked AS (
                SELECT DISTINCT ON (b.user_id) b.user_id, b.confirmed, b.created_at, b.username, b.first_name
                FROM bookings b WHERE b.course_stream = $1
                ORDER BY b.user_id, b.created_at DESC, b.id DESC
            ), viewers AS (
                SELECT e.user_id, min(e.created_at) AS created_at, max(e.created_at) AS last_activity, count(*) AS events_count,
                       (array_agg(e.details ->> 'username' ORDER BY e.created_at DESC, e.id DESC))[1] AS username,
                       (array_agg(e.details ->> 'first_name' ORDER BY e.created_at DESC, e.id DESC))[1] AS first_name
                FROM events e
                WHERE $2::text IS NOT NULL AND e.event_type = 'view_program' AND e.details ->> 'course_id' = $2
                  AND e.created_at >= ($3::date)::timestamp AT TIME ZONE 'UTC'
                  AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.user_id = e.user_id AND b.course_stream = $1)
                GROUP BY e.user_id
            ), roster AS (
                SELECT bk.user_id, bk.confirmed, bk.created_at,
                       (SELECT max(e.created_at) FROM events e WHERE e.user_id = bk.user_id) AS last_activity,
                       (SELECT count(*) FROM events e WHERE e.user_id = bk.user_id) AS events_count,
                       'booking' AS source, bk.username AS copied_username, bk.first_name AS copied_first_name
                FROM booked bk
                UNION ALL
                SELECT v.user_id, NULL::int, v.created_at, v.last_activity, v.events_count, 'viewed', v.username, v.first_name
                FROM viewers v
            )
            SELECT r.user_id, r.confirmed, r.created_at, r.last_activity, r.events_count, r.source,
                   CASE WHEN u.username IS NULL AND u.first_name IS NULL THEN r.copied_username ELSE u.username END AS username,
                   CASE WHEN u.username IS NULL AND u.first_name IS NULL THEN r.copied_first_name ELSE u.first_name END AS first_name,
                   u.last_name
            FROM roster r LEFT JOIN users u ON u.user_id = r.user_id
            ORDER BY r.created_at DESC NULLS LAST, r.user_id
            """;
    static final String STREAMS_IN_BOOKINGS = "SELECT DISTINCT course_stream FROM bookings WHERE course_stream IS NOT NULL";

    private final Pool pool;

    public StreamRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<StreamStudent>> confirmedStudents(String stream, long afterUserId, int limit) {
        return pool.preparedQuery(CONFIRMED_STUDENTS).execute(Tuple.of(stream, afterUserId, limit))
                .map(rows -> Rows.map(rows, StreamStudent::of));
    }

    public Uni<List<StreamRoster.Student>> roster(String stream, String viewerCourseId, java.time.LocalDate viewersSince) {
        return pool.preparedQuery(ROSTER).execute(Tuple.of(stream, viewerCourseId, viewersSince))
                .map(rows -> Rows.map(rows, StreamRoster.Student::of));
    }

    public Uni<List<String>> streamsInBookings() {
        return pool.preparedQuery(STREAMS_IN_BOOKINGS).execute().map(rows -> Rows.map(rows, row -> row.getString(0)));
    }
}
