package dev.tgregistry.users.user;

import dev.tgregistry.users.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Hackathon registrants: the bot's {@code hackathon_registrations} table, whose shape beyond {@code user_id} is
 * unknown and which may not exist (then there are none). Names come from users.
 */
@ApplicationScoped
public class HackathonRepository {
    static final String TABLE_EXISTS = "SELECT to_regclass('hackathon_registrations') IS NOT NULL";
    static final String REGISTRANTS = """
            SELECT h.user_id, u.username, u.first_name, u.last_name, %s
            FROM (SELECT DISTINCT user_id::bigint AS user_id FROM hackathon_registrations WHERE user_id IS NOT NULL) h
            LEFT JOIN users u ON u.user_id = h.user_id
            ORDER BY h.user_id
            """.formatted(UserSummary.FLAGS);
    static final String COUNT = "SELECT count(DISTINCT user_id) FROM hackathon_registrations";

    private final Pool pool;

    public HackathonRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<UserSummary>> registrants() {
        return ifTableExists(pool.query(REGISTRANTS).execute().map(rows -> Rows.map(rows, UserSummary::of)), List.of());
    }

    public Uni<Long> count() {
        return ifTableExists(pool.query(COUNT).execute().map(rows -> rows.iterator().next().getLong(0)), 0L);
    }

    private <T> Uni<T> ifTableExists(Uni<T> query, T none) {
        return pool.query(TABLE_EXISTS).execute()
                .chain(rows -> rows.iterator().next().getBoolean(0) ? query : Uni.createFrom().item(none));
    }
}
