package dev.tgregistry.users.activity;

import dev.tgregistry.users.web.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ActivityRepository {
    /**
     * Population: users with a free-lesson registration, one row each with their newest email. Activity: their
     * events inside (now - days, now], system event types excluded, read from the (user_id, created_at) index.
     * $1 = days, $2 = excluded event types, $3 = score filter or null, $4 = limit.
     */
    static final String LEADS = """
            WITH population AS (
                SELECT DISTINCT ON (user_id) user_id, email
                FROM free_lesson_registrations ORDER BY user_id, registered_at DESC NULLS LAST, id DESC
            ), activity AS (
                SELECT p.user_id, p.email, a.total_events, a.active_days, a.last_activity
                FROM population p
                CROSS JOIN LATERAL (
                    SELECT count(*) AS total_events,
                           count(DISTINCT (e.created_at AT TIME ZONE 'UTC')::date) AS active_days,
                           max(e.created_at) AS last_activity
                    FROM events e
                    WHERE e.user_id = p.user_id
                      AND e.created_at >= now() - make_interval(days => $1) AND e.created_at <= now()
                      AND e.event_type <> ALL($2::text[])
                ) a
            ), scored AS (
                SELECT *, %s AS lead_score FROM activity
            )
            SELECT s.*, u.username, u.first_name, u.last_name
            FROM scored s LEFT JOIN users u ON u.user_id = s.user_id
            WHERE $3::text IS NULL OR s.lead_score = $3
            ORDER BY s.total_events DESC, s.last_activity DESC NULLS LAST, s.user_id
            LIMIT $4
            """.formatted(LeadScore.SQL_CASE);

    private final Pool pool;

    public ActivityRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<LeadActivity>> leads(int days, String[] excludedTypes, String score, int limit) {
        return pool.preparedQuery(LEADS).execute(Tuple.of(days, excludedTypes, score, limit))
                .map(rows -> Rows.map(rows, LeadActivity::of));
    }
}
