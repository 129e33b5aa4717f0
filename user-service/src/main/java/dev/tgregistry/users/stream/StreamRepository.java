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
    static final String STREAMS_IN_BOOKINGS = "SELECT DISTINCT course_stream FROM bookings WHERE course_stream IS NOT NULL";

    private final Pool pool;

    public StreamRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<StreamStudent>> confirmedStudents(String stream, long afterUserId, int limit) {
        return pool.preparedQuery(CONFIRMED_STUDENTS).execute(Tuple.of(stream, afterUserId, limit))
                .map(rows -> Rows.map(rows, StreamStudent::of));
    }

    public Uni<List<String>> streamsInBookings() {
        return pool.preparedQuery(STREAMS_IN_BOOKINGS).execute().map(rows -> Rows.map(rows, row -> row.getString(0)));
    }
}
