package dev.tgregistry.users.stats;

import dev.tgregistry.users.booking.BookingStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

@ApplicationScoped
public class StatsRepository {
    /**
     * activeBookings: not cancelled; confirmedPayments: confirmed ({@link BookingStatus}). User totals come from the
     * trigger-kept {@code user_counts} row (V8, reasons V13); the day counts are ranges of users_first_seen_idx and users_recent_idx.
     */
    static final String COUNTS = """
            SELECT c.total AS total_users, c.blocked AS blocked_users, c.deactivated AS deactivated_users,
                   c.cant_initiate AS cant_initiate_users, c.other_failure AS other_failure_users,
                   (SELECT count(*) FROM bookings WHERE confirmed <> %d) AS active_bookings,
                   (SELECT count(*) FROM bookings WHERE confirmed = %d) AS confirmed_payments,
                   (SELECT count(*) FROM free_lesson_registrations) AS free_lesson_registrations,
                   (SELECT count(*) FROM users WHERE first_seen_at >= $1 AND first_seen_at < $2) AS new_users_today,
                   (SELECT count(*) FROM users WHERE first_seen_at >= $3 AND first_seen_at < $2) AS new_users_last_7_days,
                   (SELECT count(*) FROM users WHERE last_seen_at >= $1 AND last_seen_at < $2) AS users_seen_today
            FROM user_counts c
            """.formatted(BookingStatus.CANCELLED, BookingStatus.CONFIRMED);

    private final Pool pool;

    public StatsRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Stats> counts(LocalDays days) {
        Tuple args = Tuple.of(utc(days.todayStart()), utc(days.tomorrowStart()), utc(days.weekStart()));
        return pool.preparedQuery(COUNTS).execute(args).map(rows -> Stats.of(rows.iterator().next()));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
