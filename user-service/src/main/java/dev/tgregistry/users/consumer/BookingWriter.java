package dev.tgregistry.users.consumer;

import dev.tgregistry.model.BookingChanged;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tgregistry.users.consumer.SqlArrays.ints;
import static dev.tgregistry.users.consumer.SqlArrays.longs;
import static dev.tgregistry.users.consumer.SqlArrays.texts;
import static dev.tgregistry.users.consumer.SqlArrays.times;

/**
 * Booking snapshots: upserted by id, the newest {@code changed_at} wins (of two with the same {@code changed_at}, the
 * later arrival, as within a batch: a bot that sends no {@code changed_at} dates each snapshot at its
 * {@code created_at}), except for fields an admin edited from
 * the dashboard: a pending admin edit keeps its value until a snapshot carries that value, which settles the
 * edit (docs/DESIGN.md, "Admin edits").
 */
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
               OR (excluded.changed_at = b.changed_at
                   AND (b.username, b.first_name, b.course_id, b.course_stream, b.confirmed, b.created_at,
                        b.referral_code, b.discount_percent)
                       IS DISTINCT FROM (excluded.username, excluded.first_name, excluded.course_id,
                                         excluded.course_stream, excluded.confirmed, excluded.created_at,
                                         excluded.referral_code, excluded.discount_percent))
            """;
    /** A snapshot that carries an admin's value settles that edit: the bot has it now. */
    static final String SETTLE_ADMIN_EDITS = """
            UPDATE booking_admin_edits e SET settled_at = now(), settled_by = 'snapshot'
            FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::int[])
                 AS s(id, course_stream, confirmed, referral_code, discount_percent)
            WHERE e.booking_id = s.id AND e.settled_at IS NULL
              AND e.value IS NOT DISTINCT FROM CASE e.field
                    WHEN 'course_stream' THEN s.course_stream
                    WHEN 'confirmed' THEN s.confirmed::text
                    WHEN 'referral_code' THEN s.referral_code
                    WHEN 'discount_percent' THEN COALESCE(s.discount_percent, 0)::text END
            """;
    /** Edits still pending after this batch put the admin's value back over the snapshot's. */
    static final String KEEP_ADMIN_EDITS = """
            UPDATE bookings b SET
                course_stream = CASE WHEN p.has_stream THEN p.course_stream ELSE b.course_stream END,
                confirmed = CASE WHEN p.has_confirmed THEN p.confirmed ELSE b.confirmed END,
                referral_code = CASE WHEN p.has_referral THEN p.referral_code ELSE b.referral_code END,
                discount_percent = CASE WHEN p.has_discount THEN p.discount_percent ELSE b.discount_percent END
            FROM (SELECT booking_id,
                         bool_or(field = 'course_stream') AS has_stream,
                         max(CASE WHEN field = 'course_stream' THEN value END) AS course_stream,
                         bool_or(field = 'confirmed') AS has_confirmed,
                         max(CASE WHEN field = 'confirmed' THEN value::int END) AS confirmed,
                         bool_or(field = 'referral_code') AS has_referral,
                         max(CASE WHEN field = 'referral_code' THEN value END) AS referral_code,
                         bool_or(field = 'discount_percent') AS has_discount,
                         max(CASE WHEN field = 'discount_percent' THEN value::int END) AS discount_percent
                  FROM booking_admin_edits
                  WHERE settled_at IS NULL AND booking_id = ANY($1::bigint[])
                  GROUP BY booking_id) p
            WHERE b.id = p.booking_id
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
                .map(b -> new UserTouch(b.userId(), b.createdAt(), b.username(), b.firstName())).toList();
        Tuple adminFields = Tuple.tuple(List.of(columns.getValue(0), columns.getValue(5), columns.getValue(6),
                columns.getValue(8), columns.getValue(9)));
        return pool.withTransaction(connection -> connection.preparedQuery(UPSERT_BOOKINGS).execute(columns)
                .chain(() -> connection.preparedQuery(SETTLE_ADMIN_EDITS).execute(adminFields))
                .chain(() -> connection.preparedQuery(KEEP_ADMIN_EDITS).execute(Tuple.of(columns.getValue(0))))
                .chain(() -> users.touch(connection, touches)));
    }
}
