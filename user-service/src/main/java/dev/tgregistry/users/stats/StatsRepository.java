package dev.tgregistry.users.stats;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class StatsRepository {
    /** activeBookings: not cancelled (confirmed <> -1); confirmedPayments: confirmed = 2. */
    static final String COUNTS = """
            SELECT (SELECT count(*) FROM users) AS total_users,
                   (SELECT count(*) FROM bookings WHERE confirmed <> -1) AS active_bookings,
                   (SELECT count(*) FROM bookings WHERE confirmed = 2) AS confirmed_payments,
                   (SELECT count(*) FROM free_lesson_registrations) AS free_lesson_registrations
            """;

    private final Pool pool;

    public StatsRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Stats> counts() {
        return pool.query(COUNTS).execute().map(rows -> Stats.of(rows.iterator().next()));
    }
}
