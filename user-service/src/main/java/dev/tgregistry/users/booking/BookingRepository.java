package dev.tgregistry.users.booking;

import dev.tgregistry.users.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class BookingRepository {
    /** Names from users when it has any, else the booking's copy. */
    static final String RECENT = """
            SELECT b.id, b.user_id, b.course_id, b.course_stream, b.confirmed, b.created_at, b.referral_code, b.discount_percent,
                   CASE WHEN u.username IS NULL AND u.first_name IS NULL THEN b.username ELSE u.username END AS username,
                   CASE WHEN u.username IS NULL AND u.first_name IS NULL THEN b.first_name ELSE u.first_name END AS first_name,
                   u.last_name
            FROM (SELECT * FROM bookings WHERE user_id > 0 ORDER BY created_at DESC NULLS LAST, id DESC LIMIT $1) b
            LEFT JOIN users u ON u.user_id = b.user_id
            ORDER BY b.created_at DESC NULLS LAST, b.id DESC
            """;
    static final String OF_USER = "SELECT * FROM bookings WHERE user_id = $1 ORDER BY created_at DESC, id DESC";
    static final String STREAMS = "SELECT DISTINCT course_stream FROM bookings WHERE course_stream IS NOT NULL";

    private final Pool pool;

    public BookingRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<RecentBooking>> recent(int limit) {
        return pool.preparedQuery(RECENT).execute(Tuple.of(limit)).map(rows -> Rows.map(rows, RecentBooking::of));
    }

    public Uni<List<BookingView>> ofUser(long userId) {
        return pool.preparedQuery(OF_USER).execute(Tuple.of(userId)).map(rows -> Rows.map(rows, BookingView::of));
    }

    public Uni<List<String>> streams() {
        return pool.preparedQuery(STREAMS).execute().map(rows -> Rows.map(rows, row -> row.getString(0)));
    }
}
