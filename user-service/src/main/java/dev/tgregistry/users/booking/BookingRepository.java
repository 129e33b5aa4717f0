package dev.tgregistry.users.booking;

import dev.tgregistry.users.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
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
    /** The user's newest non-cancelled booking, row-locked until the caller's transaction ends. */
    static final String LOCK_NEWEST_ACTIVE = "SELECT " + EditableBooking.COLUMNS + """
             FROM bookings WHERE user_id = $1 AND confirmed <> $2
            ORDER BY created_at DESC, id DESC LIMIT 1 FOR UPDATE
            """;
    static final String LOCK_BY_ID = "SELECT " + EditableBooking.COLUMNS + " FROM bookings WHERE id = $1 FOR UPDATE";
    /** changed_at stays the bot's: it orders the bot's snapshots; the pending admin edit protects the admin's value. */
    static final String UPDATE_EDITABLE = """
            UPDATE bookings SET course_stream = $2, confirmed = $3, referral_code = $4, discount_percent = $5 WHERE id = $1
            """;
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

    /** Null when the user has no non-cancelled booking. */
    Uni<EditableBooking> lockNewestActive(SqlConnection connection, long userId) {
        return connection.preparedQuery(LOCK_NEWEST_ACTIVE).execute(Tuple.of(userId, BookingStatus.CANCELLED)).map(BookingRepository::first);
    }

    /** Null when there is no such booking. */
    Uni<EditableBooking> lockById(SqlConnection connection, long bookingId) {
        return connection.preparedQuery(LOCK_BY_ID).execute(Tuple.of(bookingId)).map(BookingRepository::first);
    }

    Uni<Void> update(SqlConnection connection, EditableBooking booking) {
        return connection.preparedQuery(UPDATE_EDITABLE).execute(Tuple.of(booking.id(), booking.courseStream(), booking.confirmed(),
                booking.referralCode(), booking.discountPercent())).replaceWithVoid();
    }

    private static EditableBooking first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : EditableBooking.of(rows.iterator().next());
    }

    public Uni<List<String>> streams() {
        return pool.preparedQuery(STREAMS).execute().map(rows -> Rows.map(rows, row -> row.getString(0)));
    }
}
