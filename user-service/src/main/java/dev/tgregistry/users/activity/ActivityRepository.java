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
     * events inside [now - days, now], system event types excluded, read from the created_at index (which
     * carries user_id and event_type, so the window is read without touching the table) and matched to the
     * population by hash; counted per UTC day first, so distinct days need no sort. Names are joined for the
     * returned page only.
     * $1 = days, $2 = excluded event types, $3 = score filter or null, $4 = limit.
     */
    static final String LEADS = """
            WITH population AS MATERIALIZED (
                SELECT DISTINCT ON (user_id) user_id, email
                FROM free_lesson_registrations ORDER BY user_id, registered_at DESC NULLS LAST, id DESC
            ), per_day AS (
                SELECT e.user_id, (e.created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS events,
                       max(e.created_at) AS last_at
                FROM events e JOIN population p ON p.user_id = e.user_id
                WHERE e.created_at >= now() - make_interval(days => $1) AND e.created_at <= now()
                  AND e.event_type <> ALL($2::text[])
                GROUP BY 1, 2
            ), activity AS (
                SELECT user_id, sum(events)::bigint AS total_events, count(*) AS active_days, max(last_at) AS last_activity
                FROM per_day GROUP BY user_id
            ), scored AS (
                SELECT p.user_id, p.email, COALESCE(a.total_events, 0) AS total_events,
                       COALESCE(a.active_days, 0) AS active_days, a.last_activity
                FROM population p LEFT JOIN activity a ON a.user_id = p.user_id
            ), page AS (
                SELECT *, %s AS lead_score FROM scored
                WHERE $3::text IS NULL OR %1$s = $3
                ORDER BY total_events DESC, last_activity DESC NULLS LAST, user_id
                LIMIT $4
            )
            SELECT page.*, u.username, u.first_name, u.last_name
            FROM page LEFT JOIN users u ON u.user_id = page.user_id
            ORDER BY page.total_events DESC, page.last_activity DESC NULLS LAST, page.user_id
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
