package dev.tgregistry.users.ingest;

import dev.tgregistry.model.BookingChanged;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tgregistry.users.ingest.SqlArrays.ints;
import static dev.tgregistry.users.ingest.SqlArrays.longs;
import static dev.tgregistry.users.ingest.SqlArrays.texts;
import static dev.tgregistry.users.ingest.SqlArrays.times;

/** Booking snapshots: upserted by id, the newest {@code changed_at} wins. */
@ApplicationScoped
public class BookingWriter {
    static final String UPSERT_BOOKINGS = """
            INSERT INTO bookings AS b (id, user_id, username, first_name, course_id, course_stream, confirmed,
                                       created_at, referral_code, discount_percent, changed_at)
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::int[], $6::text[], $7::int[],
                                 $8::timestamptz[], $9::text[], $10::int[], $11::timestamptz[])
            ON CONFLICT (id) DO UPDATE SET
                user_id = excluded.user_id, username = excluded.username, first_name = excluded.first_name,
                course_id = excluded.course_id, course_stream = excluded.course_stream, confirmed = excluded.confirmed,
                created_at = excluded.created_at, referral_code = excluded.referral_code,
                discount_percent = excluded.discount_percent, changed_at = excluded.changed_at
            WHERE b.changed_at IS NULL OR excluded.changed_at > b.changed_at
            """;

    private final Pool pool;
    private final UserTouchWriter users;

    public BookingWriter(Pool pool, UserTouchWriter users) {
        this.pool = pool;
        this.users = users;
    }

    public Uni<Void> apply(List<BookingChanged> batch) {
        Map<Long, BookingChanged> newest = new LinkedHashMap<>();
        for (BookingChanged booking : batch) {
            newest.merge(booking.id(), booking, (known, next) -> next.changedAt().isBefore(known.changedAt()) ? known : next);
        }
        Collection<BookingChanged> bookings = newest.values();
        Tuple columns = Tuple.tuple(List.of(
                longs(bookings, BookingChanged::id),
                longs(bookings, BookingChanged::userId),
                texts(bookings, BookingChanged::username),
                texts(bookings, BookingChanged::firstName),
                ints(bookings, BookingChanged::courseId),
                texts(bookings, BookingChanged::courseStream),
                ints(bookings, BookingChanged::confirmed),
                times(bookings, BookingChanged::createdAt),
                texts(bookings, BookingChanged::referralCode),
                ints(bookings, BookingChanged::discountPercent),
                times(bookings, BookingChanged::changedAt)));
        List<UserTouch> touches = bookings.stream()
                .map(b -> new UserTouch(b.userId(), b.createdAt(), b.username(), b.firstName(), false)).toList();
        return pool.withTransaction(connection -> connection.preparedQuery(UPSERT_BOOKINGS).execute(columns)
                .chain(() -> users.touch(connection, touches)));
    }
}
