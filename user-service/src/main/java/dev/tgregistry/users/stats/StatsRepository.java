package dev.tgregistry.users.stats;

import dev.tgregistry.users.booking.BookingStatus;
import dev.tgregistry.users.db.Quarters;
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
    /**
     * activeBookings: not cancelled; confirmedPayments: confirmed ({@link BookingStatus}). Every count is read from
     * trigger-kept rows: user totals from {@code user_counts} (V8, reasons V13), registrations from
     * {@code free_lesson_counts} (V21), bookings per status from {@code rollup_booking_statuses} (V10), and the users
     * first seen and last seen per quarter hour from {@code rollup_new_user_quarters} (V10) and
     * {@code rollup_seen_user_quarters} (V22). Today is $1..$2, the week $3..$2, all on quarter boundaries.
     */
    static final String COUNTS = counts(false);

    /**
     * {@link #COUNTS} for a zone whose offset is no whole number of quarter hours: the quarters cut at a range's two
     * ends are counted from users_first_seen_idx / users_recent_idx. Today is $1..$4 (whole quarters $2..$3), the
     * week $5..$4 (whole quarters $6..$3). A separate statement, so that the common one has no range on users: the
     * planner would probe those indexes' newest end at every execution (custom plans), through the entries sightings
     * leave dead there.
     */
    static final String COUNTS_CUT_QUARTERS = counts(true);

    private static String counts(boolean cutQuarters) {
        Range today = cutQuarters ? new Range("$1", "$2", "$3", "$4") : new Range("$1", "$1", "$2", "$2");
        Range week = cutQuarters ? new Range("$5", "$6", "$3", "$4") : new Range("$3", "$3", "$2", "$2");
        return """
                SELECT c.total AS total_users, c.blocked AS blocked_users, c.deactivated AS deactivated_users,
                       c.cant_initiate AS cant_initiate_users, c.other_failure AS other_failure_users,
                       b.active_bookings, b.confirmed_payments,
                       (SELECT registrations FROM free_lesson_counts) AS free_lesson_registrations,
                       %3$s AS new_users_today,
                       %4$s AS new_users_last_7_days,
                       %5$s AS users_seen_today
                FROM user_counts c,
                     (SELECT COALESCE(sum(bookings) FILTER (WHERE confirmed <> %1$d), 0)::bigint AS active_bookings,
                             COALESCE(sum(bookings) FILTER (WHERE confirmed = %2$d), 0)::bigint AS confirmed_payments
                      FROM rollup_booking_statuses) b
                """.formatted(BookingStatus.CANCELLED, BookingStatus.CONFIRMED,
                today.count("rollup_new_user_quarters", "first_seen_at", cutQuarters),
                week.count("rollup_new_user_quarters", "first_seen_at", cutQuarters),
                today.count("rollup_seen_user_quarters", "last_seen_at", cutQuarters));
    }

    /** Instants [lo, hi) as parameters: the whole quarters [qlo, qhi) within it, for the rollup. */
    private record Range(String lo, String qlo, String qhi, String hi) {
        /** Users whose {@code column} is in the range: the rollup's whole quarters, plus the cut edges from the table. */
        String count(String rollup, String column, boolean cutQuarters) {
            return cutQuarters ? Quarters.countSql(rollup, column, lo, qlo, qhi, hi)
                    : Quarters.countSql(rollup, column, null, qlo, qhi, null);
        }
    }

    private final Pool pool;

    public StatsRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Stats> counts(LocalDays days) {
        Instant todayStart = days.todayStart();
        Instant tomorrowStart = days.tomorrowStart();
        Instant weekStart = days.weekStart();
        if (onQuarter(todayStart) && onQuarter(tomorrowStart) && onQuarter(weekStart)) {
            return query(COUNTS, List.of(utc(todayStart), utc(tomorrowStart), utc(weekStart)));
        }
        return query(COUNTS_CUT_QUARTERS, List.of(utc(todayStart), utc(Quarters.atOrAfter(todayStart)),
                utc(Quarters.atOrBefore(tomorrowStart)), utc(tomorrowStart), utc(weekStart), utc(Quarters.atOrAfter(weekStart))));
    }

    private Uni<Stats> query(String sql, List<Object> args) {
        return pool.preparedQuery(sql).execute(Tuple.tuple(args)).map(rows -> Stats.of(rows.iterator().next()));
    }

    private static boolean onQuarter(Instant at) {
        return Quarters.atOrBefore(at).equals(at);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
