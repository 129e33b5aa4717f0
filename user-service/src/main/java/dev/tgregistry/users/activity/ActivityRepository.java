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
     * Population: users with a free-lesson registration. Their counted events are exactly those with
     * events.lead_activity (an own event, not a system one, of a user registered now; kept by triggers,
     * migration V5), so the window [now - days, now] is one range of the partial index on that flag, which
     * carries user_id: only the registrants' events of the window are read, and without the table (one sort by
     * user; on this data that measured faster than hashing per user and day first). Registrants without events in the window (0
     * events, cold) follow the active ones by user id, read only if the page is not full yet. Emails (the newest
     * registration's) and names are read for the returned page only. An erased registrant's registrations (user_id
     * below 0, see privacy/PersonalData) belong to nobody and are not leads.
     * $1 = days, $2 = score filter or null, $3 = limit.
     */
    static final String LEADS = """
            WITH activity AS (
                SELECT user_id, count(*) AS total_events, count(DISTINCT (created_at AT TIME ZONE 'UTC')::date) AS active_days,
                       max(created_at) AS last_activity
                FROM events
                WHERE lead_activity AND created_at >= now() - make_interval(days => $1) AND created_at <= now()
                GROUP BY user_id
            ), active_page AS (
                SELECT *, %s AS lead_score FROM activity
                WHERE $2::text IS NULL OR %1$s = $2
                ORDER BY total_events DESC, last_activity DESC, user_id
                LIMIT $3
            ), idle_page AS (
                SELECT user_id, 0::bigint AS total_events, 0::bigint AS active_days, NULL::timestamptz AS last_activity,
                       'cold' AS lead_score
                FROM (SELECT DISTINCT user_id FROM free_lesson_registrations WHERE user_id > 0) registrant
                WHERE ($2::text IS NULL OR $2 = 'cold')
                  AND NOT EXISTS (SELECT 1 FROM activity a WHERE a.user_id = registrant.user_id)
                ORDER BY user_id
                LIMIT greatest($3 - (SELECT count(*) FROM active_page), 0)
            ), page AS (
                SELECT * FROM active_page UNION ALL SELECT * FROM idle_page
            )
            SELECT page.*, u.username, u.first_name, u.last_name,
                   (SELECT email FROM free_lesson_registrations f WHERE f.user_id = page.user_id
                    ORDER BY registered_at DESC NULLS LAST, id DESC LIMIT 1) AS email
            FROM page LEFT JOIN users u ON u.user_id = page.user_id
            ORDER BY page.total_events DESC, page.last_activity DESC NULLS LAST, page.user_id
            """.formatted(LeadScore.SQL_CASE);
    /** The window's registrants' events are ~130k rows at 1M users: sort them in memory, not in batches on disk. */
    static final String WORK_MEM = "SET LOCAL work_mem = '32MB'";

    private final Pool pool;

    public ActivityRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<LeadActivity>> leads(int days, String score, int limit) {
        return pool.withTransaction(connection -> connection.query(WORK_MEM).execute()
                        .chain(() -> connection.preparedQuery(LEADS).execute(Tuple.of(days, score, limit))))
                .map(rows -> Rows.map(rows, LeadActivity::of));
    }
}
