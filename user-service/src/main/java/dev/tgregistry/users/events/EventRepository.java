package dev.tgregistry.users.events;

import dev.tgregistry.users.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class EventRepository {
    /**
     * An event's details as served: legacy rows may hold any size (the contract caps new ones at 32 KiB), and a
     * list of them must not become a response that fills the heap.
     */
    public static final String DETAILS_AS_SERVED = "CASE WHEN pg_column_size(details) > 65536 "
            + "THEN '{\"truncated\": true}' ELSE details::text END";

    /**
     * The newest $2 events with at most two per user, looking only at the newest $1 events (read from the
     * created_at index). The service widens $1 when a chatty user crowds the page.
     */
    static final String RECENT = """
            SELECT r.id, r.user_id, r.event_type, %s AS details, r.created_at,
                   u.username, u.first_name, u.last_name
            FROM (
                SELECT w.*, row_number() OVER (PARTITION BY w.user_id ORDER BY w.created_at DESC, w.id DESC) AS rank_of_user
                FROM (SELECT * FROM events WHERE created_at <= now() ORDER BY created_at DESC LIMIT $1) w
            ) r
            LEFT JOIN users u ON u.user_id = r.user_id
            WHERE r.rank_of_user <= 2
            ORDER BY r.created_at DESC, r.id DESC
            LIMIT $2
            """.formatted(DETAILS_AS_SERVED);

    private final Pool pool;

    public EventRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<RecentEvent>> recent(int window, int limit) {
        return pool.preparedQuery(RECENT).execute(Tuple.of(window, limit)).map(rows -> Rows.map(rows, RecentEvent::of));
    }
}
