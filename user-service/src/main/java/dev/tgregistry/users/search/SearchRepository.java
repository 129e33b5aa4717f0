package dev.tgregistry.users.search;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import dev.tgregistry.users.web.Rows;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Search SQL. Ranked tiers: 0 exact username (or the numeric id), 1 username prefix, 2 name prefix,
 * 3 substring; within a tier the most recently seen first. Tiers 0-2 run on btree pattern indexes; the
 * substring tier runs on the trigram index and only when the prefix tiers did not fill the page.
 */
@ApplicationScoped
public class SearchRepository {
    private static final String COLUMNS = "u.user_id, u.username, u.first_name, u.last_name, u.is_active, u.last_seen_at";

    /** $1 = the query with LIKE wildcards escaped, $2 = numeric id or null, $3 = limit. */
    static final String PREFIX_TIERS = """
            SELECT user_id, username, first_name, last_name, is_active FROM (
                SELECT DISTINCT ON (user_id) * FROM (
                    (SELECT %1$s, 0 AS tier FROM users u WHERE lower(u.username) = lower($1) OR u.user_id = $2 LIMIT $3)
                    UNION ALL
                    (SELECT %1$s, 1 FROM users u WHERE lower(u.username) LIKE lower($1) || '%%'
                     ORDER BY u.last_seen_at DESC LIMIT $3)
                    UNION ALL
                    (SELECT %1$s, 2 FROM users u WHERE lower(u.first_name) LIKE lower($1) || '%%'
                     ORDER BY u.last_seen_at DESC LIMIT $3)
                    UNION ALL
                    (SELECT %1$s, 2 FROM users u WHERE lower(u.last_name) LIKE lower($1) || '%%'
                     ORDER BY u.last_seen_at DESC LIMIT $3)
                    UNION ALL
                    (SELECT %1$s, 2 FROM users u WHERE lower(u.first_name || ' ' || u.last_name) LIKE lower($1) || '%%'
                     ORDER BY u.last_seen_at DESC LIMIT $3)
                ) candidates ORDER BY user_id, tier
            ) best ORDER BY tier, last_seen_at DESC, user_id DESC LIMIT $3
            """.formatted(COLUMNS);

    /**
     * $1 = escaped query, $2 = ids already found, $3 = how many more. The MATERIALIZED fence keeps the planner
     * from trading the trigram bitmap scan for a walk down the last_seen index filtered row by row.
     */
    static final String SUBSTRING_TIER = """
            WITH matches AS MATERIALIZED (
                SELECT %s FROM users u
                WHERE lower(COALESCE(u.username, '') || ' ' || COALESCE(u.first_name, '') || ' ' || COALESCE(u.last_name, ''))
                      LIKE '%%' || lower($1) || '%%'
            )
            SELECT * FROM matches WHERE user_id <> ALL($2::bigint[]) ORDER BY last_seen_at DESC, user_id DESC LIMIT $3
            """.formatted(COLUMNS);

    private final Pool pool;

    public SearchRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<SearchHit>> prefixMatches(String escapedQuery, Long numericId, int limit) {
        return pool.preparedQuery(PREFIX_TIERS).execute(Tuple.of(escapedQuery, numericId, limit))
                .map(rows -> Rows.map(rows, SearchHit::of));
    }

    public Uni<List<SearchHit>> substringMatches(String escapedQuery, Long[] excludedIds, int limit) {
        return pool.preparedQuery(SUBSTRING_TIER).execute(Tuple.of(escapedQuery, excludedIds, limit))
                .map(rows -> Rows.map(rows, SearchHit::of));
    }
}
