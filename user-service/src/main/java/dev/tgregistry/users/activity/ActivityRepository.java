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
     * events inside [now - days, now] that count (events.lead_activity: a registrant's own event, not a system
     * one; kept by triggers, migration V5), read from the partial index on that flag, which carries user_id, so
     * only the registrants' events of the window are read, and without the table; counted per UTC day first, so distinct days need no
     * sort. The join with the population still decides who is listed (the flag is never cleared). Names are
     * joined for the returned page only.
     * $1 = days, $2 = score filter or null, $3 = limit.
     */
    static final String LEADS = """
            WITH population AS MATERIALIZED (
                SELECT DISTINCT ON (user_id) user_id, email
                FROM free_lesson_registrations ORDER BY user_id, registered_at DESC NULLS LAST, id DESC
            ), per_day AS (
                SELECT user_id, (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS events, max(created_at) AS last_at
                FROM events
                WHERE lead_activity AND created_at >= now() - make_interval(days => $1) AND created_at <= now()
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
                WHERE $2::text IS NULL OR %1$s = $2
                ORDER BY total_events DESC, last_activity DESC NULLS LAST, user_id
                LIMIT $3
            )
            SELECT page.*, u.username, u.first_name, u.last_name
            FROM page LEFT JOIN users u ON u.user_id = page.user_id
            ORDER BY page.total_events DESC, page.last_activity DESC NULLS LAST, page.user_id
            """.formatted(LeadScore.SQL_CASE);

    private final Pool pool;

    public ActivityRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<LeadActivity>> leads(int days, String score, int limit) {
        return pool.preparedQuery(LEADS).execute(Tuple.of(days, score, limit))
                .map(rows -> Rows.map(rows, LeadActivity::of));
    }
}
