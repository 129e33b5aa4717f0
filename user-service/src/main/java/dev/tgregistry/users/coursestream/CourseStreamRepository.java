package dev.tgregistry.users.coursestream;

import dev.tgregistry.users.booking.BookingStatus;
import dev.tgregistry.users.db.Rows;
import dev.tgregistry.users.reachability.UserFlags;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

@ApplicationScoped
public class CourseStreamRepository {
    /**
     * One row per user (their newest confirmed booking in the stream); names from users, else from the booking.
     * Bookings of erased users (user_id below 0, see privacy/PersonalData) belong to nobody and are left out.
     * Keyset by user id: $2 = the last user id of the previous page (0 at the start), $3 = rows to read.
     */
    static final String CONFIRMED_STUDENTS = """
            SELECT s.user_id, s.course_stream,
                   CASE WHEN u.username IS NULL AND u.first_name IS NULL THEN s.username ELSE u.username END AS username,
                   CASE WHEN u.username IS NULL AND u.first_name IS NULL THEN s.first_name ELSE u.first_name END AS first_name,
                   u.last_name, %2$s
            FROM (SELECT DISTINCT ON (b.user_id) b.user_id, b.course_stream, b.username, b.first_name
                  FROM bookings b WHERE b.course_stream = $1 AND b.confirmed = %d AND b.user_id > GREATEST($2::bigint, 0)
                  ORDER BY b.user_id, b.created_at DESC, b.id DESC
                  LIMIT $3) s
            LEFT JOIN users u ON u.user_id = s.user_id
            ORDER BY s.user_id
            """.formatted(BookingStatus.CONFIRMED, UserFlags.COLUMNS);
    /**
     * A page of the roster, by created_at desc (null = oldest), user id. $1 stream; $2 the viewer campaign's course
     * id (text) or null for no viewers; $3 the campaign's first day (UTC); $4 the walk's as-of time: bookings and
     * events dated after it are left out, so a booking or view added during a walk moves nobody across its cursor;
     * $5/$6 the previous page's last created_at (text, '-infinity' for null) and user id ($6 null on the first
     * page); $7 rows to read. Booking rows: each user's newest booking in the stream (by created_at, then id), any
     * status; activity over all their events. Viewer rows: view_program of the course since $3 by users without a
     * booking in the stream; created_at = first view. Each source is read in list order up to $7 rows past the
     * cursor, the two merged, and activity and names read for the returned page only.
     */
    static final String ROSTER_PAGE = """
            WITH booked AS (
                SELECT b.user_id, b.confirmed, b.created_at, COALESCE(b.created_at, '-infinity') AS sort_at,
                       b.username, b.first_name
                FROM bookings b
                WHERE b.course_stream = $1 AND b.user_id > 0 AND (b.created_at IS NULL OR b.created_at <= $4::timestamptz)
                  AND NOT EXISTS (SELECT 1 FROM bookings n
                                  WHERE n.user_id = b.user_id AND n.course_stream = $1
                                    AND (n.created_at IS NULL OR n.created_at <= $4::timestamptz)
                                    AND (COALESCE(n.created_at, '-infinity'), n.id) > (COALESCE(b.created_at, '-infinity'), b.id))
                  AND ($6::bigint IS NULL OR COALESCE(b.created_at, '-infinity') < $5::text::timestamptz
                       OR (COALESCE(b.created_at, '-infinity') = $5::text::timestamptz AND b.user_id > $6::bigint))
                ORDER BY sort_at DESC, b.user_id
                LIMIT $7
            ), viewers AS (
                SELECT e.user_id, min(e.created_at) AS created_at, max(e.created_at) AS last_activity, count(*) AS events_count,
                       (array_agg(e.details ->> 'username' ORDER BY e.created_at DESC, e.id DESC))[1] AS username,
                       (array_agg(e.details ->> 'first_name' ORDER BY e.created_at DESC, e.id DESC))[1] AS first_name
                FROM events e
                WHERE $2::text IS NOT NULL AND e.event_type = 'view_program' AND e.details ->> 'course_id' = $2
                  AND e.created_at >= ($3::date)::timestamp AT TIME ZONE 'UTC' AND e.created_at <= $4::timestamptz
                  AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.user_id = e.user_id AND b.course_stream = $1
                                    AND (b.created_at IS NULL OR b.created_at <= $4::timestamptz))
                GROUP BY e.user_id
                HAVING $6::bigint IS NULL OR min(e.created_at) < $5::text::timestamptz
                       OR (min(e.created_at) = $5::text::timestamptz AND e.user_id > $6::bigint)
                ORDER BY min(e.created_at) DESC, e.user_id
                LIMIT $7
            ), page AS (
                SELECT user_id, confirmed, created_at, sort_at, NULL::timestamptz AS last_activity, NULL::bigint AS events_count,
                       'booking' AS source, username AS copied_username, first_name AS copied_first_name
                FROM booked
                UNION ALL
                SELECT user_id, NULL::int, created_at, created_at, last_activity, events_count, 'viewed', username, first_name
                FROM viewers
                ORDER BY sort_at DESC, user_id
                LIMIT $7
            )
            SELECT p.user_id, p.confirmed, p.created_at, p.source,
                   CASE WHEN p.source = 'viewed' THEN p.last_activity
                        ELSE (SELECT max(e.created_at) FROM events e WHERE e.user_id = p.user_id AND e.created_at <= $4::timestamptz)
                   END AS last_activity,
                   CASE WHEN p.source = 'viewed' THEN p.events_count
                        ELSE (SELECT count(*) FROM events e WHERE e.user_id = p.user_id AND e.created_at <= $4::timestamptz)
                   END AS events_count,
                   CASE WHEN u.username IS NULL AND u.first_name IS NULL THEN p.copied_username ELSE u.username END AS username,
                   CASE WHEN u.username IS NULL AND u.first_name IS NULL THEN p.copied_first_name ELSE u.first_name END AS first_name,
                   u.last_name, %s
            FROM page p LEFT JOIN users u ON u.user_id = p.user_id
            ORDER BY p.sort_at DESC, p.user_id
            """.formatted(UserFlags.COLUMNS);
    /** The number of rows of the roster as of $4 (parameters $1..$4 as in {@link #ROSTER_PAGE}). */
    static final String ROSTER_SIZE = """
            SELECT (SELECT count(DISTINCT b.user_id) FROM bookings b
                    WHERE b.course_stream = $1 AND b.user_id > 0 AND (b.created_at IS NULL OR b.created_at <= $4::timestamptz))
                 + (SELECT count(DISTINCT e.user_id) FROM events e
                    WHERE $2::text IS NOT NULL AND e.event_type = 'view_program' AND e.details ->> 'course_id' = $2
                      AND e.created_at >= ($3::date)::timestamp AT TIME ZONE 'UTC' AND e.created_at <= $4::timestamptz
                      AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.user_id = e.user_id AND b.course_stream = $1
                                        AND (b.created_at IS NULL OR b.created_at <= $4::timestamptz))) AS total
            """;
    private final Pool pool;

    public CourseStreamRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<StreamStudent>> confirmedStudents(String stream, long afterUserId, int limit) {
        return pool.preparedQuery(CONFIRMED_STUDENTS).execute(Tuple.of(stream, afterUserId, limit))
                .map(rows -> Rows.map(rows, StreamStudent::of));
    }

    /** Which roster: the stream, its viewer campaign (course id text or null; first day) and the walk's as-of time. */
    public record RosterQuery(String stream, String viewerCourseId, LocalDate viewersSince, Instant asOf) {
        private List<Object> args() {
            return Arrays.asList(stream, viewerCourseId, viewersSince, asOf.atOffset(ZoneOffset.UTC));
        }
    }

    /** Up to {@code limit} rows after the row with {@code afterCreatedAt}/{@code afterUserId} (null id = from the start). */
    public Uni<List<StreamRoster.Student>> roster(RosterQuery query, Instant afterCreatedAt, Long afterUserId, int limit) {
        List<Object> args = new ArrayList<>(query.args());
        args.addAll(Arrays.asList(afterCreatedAt == null ? "-infinity" : afterCreatedAt.toString(), afterUserId, limit));
        return pool.preparedQuery(ROSTER_PAGE).execute(Tuple.tuple(args))
                .map(rows -> Rows.map(rows, StreamRoster.Student::of));
    }

    public Uni<Long> rosterSize(RosterQuery query) {
        return pool.preparedQuery(ROSTER_SIZE).execute(Tuple.tuple(query.args()))
                .map(rows -> rows.iterator().next().getLong("total"));
    }
}
