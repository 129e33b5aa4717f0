package dev.tgregistry.bench.query;

/**
 * The original dashboard's SQL, as described in shared/API.md ("Baselines for benchmarks"), for the comparison
 * runs via JDBC. (user-service's own SQL is never copied: its plans are captured from the running service with
 * auto_explain.)
 */
final class OriginalSql {
    private OriginalSql() {
    }

    // ------------------------------------------------------------------------------------------ the original's SQL

    /**
     * The original dashboard's search (API.md, "Baselines for benchmarks"): one query, case-insensitive substring on
     * username OR first_name, exact username first, then username prefix, then username, first_name; limit 50.
     * ? = lower-cased query, four times.
     */
    static final String ORIGINAL_SEARCH = """
            SELECT user_id, username, first_name, last_name
            FROM users
            WHERE LOWER(username) LIKE '%' || ? || '%' OR LOWER(first_name) LIKE '%' || ? || '%'
            ORDER BY CASE WHEN LOWER(username) = ? THEN 0 ELSE 1 END,
                     CASE WHEN LOWER(username) LIKE ? || '%' THEN 0 ELSE 1 END,
                     username, first_name
            LIMIT 50
            """;

    /** The original lead scoring: registrations LEFT JOIN events of the last 7 days, grouped, scored, top 100. */
    static final String ORIGINAL_LEADS = """
            SELECT f.user_id, f.username, f.first_name, f.email,
                   COUNT(DISTINCT e.id) AS total_events,
                   COUNT(DISTINCT DATE(e.created_at)) AS active_days,
                   MAX(e.created_at) AS last_activity,
                   CASE WHEN COUNT(DISTINCT e.id) >= 20 AND COUNT(DISTINCT DATE(e.created_at)) >= 5 THEN 'hot'
                        WHEN COUNT(DISTINCT e.id) >= 10 AND COUNT(DISTINCT DATE(e.created_at)) >= 3 THEN 'warm'
                        WHEN COUNT(DISTINCT e.id) >= 5 THEN 'cool'
                        ELSE 'cold' END AS lead_score
            FROM free_lesson_registrations f
            LEFT JOIN events e ON e.user_id = f.user_id AND e.created_at >= NOW() - INTERVAL '7 days'
            GROUP BY f.user_id, f.username, f.first_name, f.email
            ORDER BY total_events DESC
            LIMIT 100
            """;
}
