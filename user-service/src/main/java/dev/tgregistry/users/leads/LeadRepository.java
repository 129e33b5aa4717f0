package dev.tgregistry.users.leads;

import dev.tgregistry.users.db.Rows;
import dev.tgregistry.users.reachability.UserFlags;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

@ApplicationScoped
public class LeadRepository {
    /**
     * Population: users with a free-lesson registration. Their counted events are exactly those with
     * events.lead_activity (an own event, not a system one, of a user registered now; kept by triggers,
     * migration V5), so the window [now - days, now] is one range of the partial index on that flag, which
     * carries user_id: only the registrants' events of the window are read, and without the table (one sort by
     * user; on this data that measured faster than hashing per user and day first). Registrants without events in the window (0
     * events, cold) follow the active ones by user id, read only if the page is not full yet. Emails (the newest
     * registration's) and names are read for the returned page only. An erased registrant's registrations (user_id
     * below 0, see privacy/PersonalData) belong to nobody and are not leads.
     * $1 = days, $2 = score filter or null, $3 = limit, $4 = window end (null = now; a later page keeps the first
     * page's, so the ranking does not drift while paging), $5/$6/$7 = total_events, last_activity and user id of
     * the previous page's last row (null, null, 0 at the start; keyset in the list's order).
     */
    static final String LEADS = """
            WITH activity AS (
                SELECT user_id, count(*) AS total_events, count(DISTINCT (created_at AT TIME ZONE 'UTC')::date) AS active_days,
                       max(created_at) AS last_activity
                FROM events
                WHERE lead_activity AND created_at >= COALESCE($4::timestamptz, now()) - make_interval(days => $1)
                  AND created_at <= COALESCE($4::timestamptz, now())
                GROUP BY user_id
            ), active_page AS (
                SELECT *, %s AS lead_score FROM activity
                WHERE ($2::text IS NULL OR %1$s = $2)
                  AND ($5::bigint IS NULL OR total_events < $5
                       OR (total_events = $5 AND (last_activity < $6::timestamptz OR (last_activity = $6::timestamptz AND user_id > $7::bigint))))
                ORDER BY total_events DESC, last_activity DESC, user_id
                LIMIT $3
            ), idle_page AS (
                SELECT user_id, 0::bigint AS total_events, 0::bigint AS active_days, NULL::timestamptz AS last_activity,
                       'cold' AS lead_score
                FROM (SELECT DISTINCT user_id FROM free_lesson_registrations WHERE user_id > 0) registrant
                WHERE ($2::text IS NULL OR $2 = 'cold')
                  AND user_id > CASE WHEN $5::bigint = 0 THEN $7::bigint ELSE 0 END
                  AND NOT EXISTS (SELECT 1 FROM activity a WHERE a.user_id = registrant.user_id)
                ORDER BY user_id
                LIMIT greatest($3 - (SELECT count(*) FROM active_page), 0)
            ), page AS (
                SELECT * FROM active_page UNION ALL SELECT * FROM idle_page
            )
            SELECT page.*, COALESCE($4::timestamptz, now()) AS window_end, u.username, u.first_name, u.last_name, %2$s,
                   (SELECT email FROM free_lesson_registrations f WHERE f.user_id = page.user_id
                    ORDER BY registered_at DESC NULLS LAST, id DESC LIMIT 1) AS email
            FROM page LEFT JOIN users u ON u.user_id = page.user_id
            ORDER BY page.total_events DESC, page.last_activity DESC NULLS LAST, page.user_id
            """.formatted(LeadScore.SQL_CASE, UserFlags.COLUMNS);
    /** The window's registrants' events are ~130k rows at 1M users: sort them in memory, not in batches on disk. */
    static final String WORK_MEM = "SET LOCAL work_mem = '32MB'";

    private final Pool pool;

    public LeadRepository(Pool pool) {
        this.pool = pool;
    }

    /** Leads after the keyset position {@code after} (null = the first page) in the window ending at {@code windowEnd}. */
    /** The rows and the window's end (null if no rows). */
    public record Leads(List<LeadActivity> rows, Instant windowEnd) {
    }

    public Uni<Leads> leads(int days, String score, int limit, Instant windowEnd, LeadActivity after) {
        Tuple args = Tuple.tuple(Arrays.asList(days, score, limit, windowEnd == null ? null : windowEnd.atOffset(ZoneOffset.UTC),
                after == null ? null : after.totalEvents(),
                after == null || after.lastActivity() == null ? null : after.lastActivity().atOffset(ZoneOffset.UTC),
                after == null ? 0L : after.userId()));
        return pool.withTransaction(connection -> connection.query(WORK_MEM).execute()
                        .chain(() -> connection.preparedQuery(LEADS).execute(args)))
                .map(rows -> new Leads(Rows.map(rows, LeadActivity::of),
                        rows.size() == 0 ? null : Rows.instant(rows.iterator().next(), "window_end")));
    }
}
