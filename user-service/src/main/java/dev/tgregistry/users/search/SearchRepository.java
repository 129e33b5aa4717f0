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
 * substring tier runs only when they did not fill the page.
 *
 * <p>Every candidate set is fenced (MATERIALIZED) before it is ordered: given {@code ORDER BY last_seen_at
 * LIMIT n} over a filter, the planner likes to walk the last_seen index and test row after row, which for a
 * common prefix means reading a hundred thousand rows instead of a few thousand index matches.
 */
@ApplicationScoped
public class SearchRepository {
    /**
     * $1 = the query, $2 = the query with LIKE wildcards escaped, $3 = its first word, escaped ("first last"
     * prefixes are found through the first_name index), $4 = the query as a numeric id or null, $5 = limit.
     */
    static final String PREFIX_TIERS = """
            WITH candidates AS MATERIALIZED (
                SELECT user_id, last_seen_at, 0 AS tier FROM users WHERE lower(username) = lower($1) OR user_id = $4
                UNION ALL
                SELECT user_id, last_seen_at, 1 FROM users WHERE lower(username) LIKE lower($2) || '%'
                UNION ALL
                SELECT user_id, last_seen_at, 2 FROM users WHERE lower(first_name) LIKE lower($3) || '%'
                   AND (lower(first_name) LIKE lower($2) || '%' OR lower(first_name || ' ' || last_name) LIKE lower($2) || '%')
                UNION ALL
                SELECT user_id, last_seen_at, 2 FROM users WHERE lower(last_name) LIKE lower($2) || '%'
            ), best AS (
                SELECT DISTINCT ON (user_id) user_id, last_seen_at, tier FROM candidates ORDER BY user_id, tier
            ), page AS (
                SELECT * FROM best ORDER BY tier, last_seen_at DESC, user_id DESC LIMIT $5
            )
            SELECT u.user_id, u.username, u.first_name, u.last_name, u.is_active
            FROM page JOIN users u ON u.user_id = page.user_id
            ORDER BY page.tier, page.last_seen_at DESC, page.user_id DESC
            """;

    private static final String NAMES_MATCH = "lower(COALESCE(u.username, '') || ' ' || COALESCE(u.first_name, '') || ' ' "
            + "|| COALESCE(u.last_name, '')) LIKE '%' || lower($1) || '%' AND u.user_id <> ALL($2::bigint[])";

    /**
     * First try for the substring tier: the $4 most recently seen users, newest first. When at least $3 of them
     * match, those are exactly the $3 most recent matches of all (every user outside the window is older);
     * that is the common case for a common substring, and it needs no trigram scan.
     */
    static final String SUBSTRING_AMONG_RECENT = """
            SELECT u.* FROM (SELECT user_id, username, first_name, last_name, is_active, last_seen_at FROM users
                             ORDER BY last_seen_at DESC, user_id DESC LIMIT $4) u
            WHERE %s
            ORDER BY u.last_seen_at DESC, u.user_id DESC LIMIT $3
            """.formatted(NAMES_MATCH);

    /** The substring tier over everyone, through the trigram index: $1 = escaped query, $2 = ids already found, $3 = limit. */
    static final String SUBSTRING_TIER = """
            WITH matches AS MATERIALIZED (
                SELECT u.user_id, u.username, u.first_name, u.last_name, u.is_active, u.last_seen_at FROM users u
                WHERE %s
            )
            SELECT * FROM matches ORDER BY last_seen_at DESC, user_id DESC LIMIT $3
            """.formatted(NAMES_MATCH);

    /** How many of the most recently seen users the first substring try looks at. */
    static final int RECENT_WINDOW = 3_000;

    private final Pool pool;

    public SearchRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<SearchHit>> prefixMatches(String query, String escapedQuery, String escapedFirstWord, Long numericId,
                                              int limit) {
        return pool.preparedQuery(PREFIX_TIERS).execute(Tuple.of(query, escapedQuery, escapedFirstWord, numericId, limit))
                .map(rows -> Rows.map(rows, SearchHit::of));
    }

    public Uni<List<SearchHit>> substringMatches(String escapedQuery, Long[] excludedIds, int limit) {
        return pool.preparedQuery(SUBSTRING_AMONG_RECENT).execute(Tuple.of(escapedQuery, excludedIds, limit, RECENT_WINDOW))
                .map(rows -> Rows.map(rows, SearchHit::of))
                .chain(recent -> recent.size() == limit ? Uni.createFrom().item(recent)
                        : pool.preparedQuery(SUBSTRING_TIER).execute(Tuple.of(escapedQuery, excludedIds, limit))
                        .map(rows -> Rows.map(rows, SearchHit::of)));
    }
}
