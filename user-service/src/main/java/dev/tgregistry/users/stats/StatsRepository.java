package dev.tgregistry.users.stats;

import dev.tgregistry.users.booking.BookingStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

@ApplicationScoped
public class StatsRepository {
    /** The buckets of the V10 rollups. */
    private static final long QUARTER_SECONDS = 900;

    /**
     * activeBookings: not cancelled; confirmedPayments: confirmed ({@link BookingStatus}). Every count but users seen today
     * is read from trigger-kept rows: user totals from {@code user_counts} (V8, reasons V13), registrations from
     * {@code free_lesson_counts} (V21), bookings per status from {@code rollup_booking_statuses} and new users per quarter hour from {@code rollup_new_user_quarters} (V10), whose
     * whole quarters cover a day but for its edges in zones whose offset is no whole number of quarter hours (read from
     * users_first_seen_idx; empty ranges otherwise). Today is $1..$4 (whole quarters $2..$3), the week $5..$4 (whole
     * quarters $6..$3). Users seen today are counted on users_last_seen_idx.
     */
    static final String COUNTS = """
            SELECT c.total AS total_users, c.blocked AS blocked_users, c.deactivated AS deactivated_users,
                   c.cant_initiate AS cant_initiate_users, c.other_failure AS other_failure_users,
                   b.active_bookings, b.confirmed_payments,
                   (SELECT registrations FROM free_lesson_counts) AS free_lesson_registrations,
                   %3$s AS new_users_today,
                   %4$s AS new_users_last_7_days,
                   (SELECT count(*) FROM users WHERE last_seen_at >= $1 AND last_seen_at < $4) AS users_seen_today
            FROM user_counts c,
                 (SELECT COALESCE(sum(bookings) FILTER (WHERE confirmed <> %1$d), 0)::bigint AS active_bookings,
                         COALESCE(sum(bookings) FILTER (WHERE confirmed = %2$d), 0)::bigint AS confirmed_payments
                  FROM rollup_booking_statuses) b
            """.formatted(BookingStatus.CANCELLED, BookingStatus.CONFIRMED, newUsers("$1", "$2", "$3", "$4"),
            newUsers("$5", "$6", "$3", "$4"));

    /** Users first seen in [lo, hi): the whole quarters [qlo, qhi) from the rollup, the edges from users_first_seen_idx. */
    private static String newUsers(String lo, String qlo, String qhi, String hi) {
        return ("(COALESCE((SELECT sum(q.users) FROM rollup_new_user_quarters q WHERE q.bucket >= %2$s AND q.bucket < %3$s), 0)"
                + " + (SELECT count(*) FROM users WHERE first_seen_at >= %1$s AND first_seen_at < %2$s)"
                + " + (SELECT count(*) FROM users WHERE first_seen_at >= %3$s AND first_seen_at < %4$s))::bigint")
                .formatted(lo, qlo, qhi, hi);
    }

    private final Pool pool;

    public StatsRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Stats> counts(LocalDays days) {
        Tuple args = Tuple.tuple(List.of(utc(days.todayStart()), utc(quarterAtOrAfter(days.todayStart())),
                utc(quarterAtOrBefore(days.tomorrowStart())), utc(days.tomorrowStart()), utc(days.weekStart()),
                utc(quarterAtOrAfter(days.weekStart()))));
        return pool.preparedQuery(COUNTS).execute(args).map(rows -> Stats.of(rows.iterator().next()));
    }

    static Instant quarterAtOrBefore(Instant at) {
        return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), QUARTER_SECONDS) * QUARTER_SECONDS);
    }

    static Instant quarterAtOrAfter(Instant at) {
        Instant before = quarterAtOrBefore(at);
        return before.equals(at) ? at : before.plusSeconds(QUARTER_SECONDS);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
