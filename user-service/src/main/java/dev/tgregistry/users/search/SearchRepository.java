package dev.tgregistry.users.search;

import dev.tgregistry.users.web.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Search SQL. Tiers: 0 exact username (or the numeric id), 1 username prefix, 2 first/last/"first last" name
 * prefix, 3 substring of any name; within a tier the most recently seen first.
 *
 * <p>Parameters of every statement: $1 = the query, $2 = the query with LIKE wildcards escaped, $3 = its first
 * word, escaped ("first last" prefixes are found through the first_name index), $4 = the query as a numeric id
 * or null, $5 = ids already on the page, $6 = how many rows are wanted.
 */
@ApplicationScoped
public class SearchRepository {
    static final String COLUMNS = "user_id, username, first_name, last_name, is_active, last_seen_at";

    /** What a row must match for each tier, best first: exact, username prefix, name prefix, substring. */
    static final List<String> TIER_CONDITIONS = List.of(
            "lower(username) = lower($1) OR user_id = $4",
            "lower(username) LIKE lower($2) || '%'",
            "(lower(first_name) LIKE lower($3) || '%' AND (lower(first_name) LIKE lower($2) || '%'"
                    + " OR lower(first_name || ' ' || last_name) LIKE lower($2) || '%')) OR lower(last_name) LIKE lower($2) || '%'",
            "lower(COALESCE(username, '') || ' ' || COALESCE(first_name, '') || ' ' || COALESCE(last_name, ''))"
                    + " LIKE '%' || lower($2) || '%'");
    private static final int SUBSTRING_TIER = 3;

    /**
     * A CASE giving the best tier a row matches, or null; the substring tier counts only where {@code substrings}
     * (an SQL boolean) holds, so queries too short for trigrams can skip it.
     */
    static String tierOfRow(String substrings) {
        StringBuilder sql = new StringBuilder("CASE");
        for (int tier = 0; tier < TIER_CONDITIONS.size(); tier++) {
            String guard = tier == SUBSTRING_TIER ? substrings + " AND " : "";
            sql.append(" WHEN ").append(guard).append('(').append(TIER_CONDITIONS.get(tier)).append(") THEN ").append(tier);
        }
        return sql.append(" END").toString();
    }

    /**
     * The matches among the $8 most recently seen users (read from the covering last_seen index), at most $6 per
     * tier. If a tier has enough of them, they are that tier's page: everyone outside the window is older.
     */
    static final String RECENT_MATCHES = """
            SELECT * FROM (
                SELECT m.*, row_number() OVER (PARTITION BY tier ORDER BY last_seen_at DESC, user_id DESC) AS rank_in_tier
                FROM (SELECT r.*, %s AS tier
                      FROM (SELECT %s FROM users ORDER BY last_seen_at DESC, user_id DESC LIMIT $8) r) m
                WHERE tier IS NOT NULL AND user_id <> ALL($5::bigint[])
            ) ranked WHERE rank_in_tier <= $6
            """.formatted(tierOfRow("$7"), COLUMNS);

    /**
     * One tier over the whole table through its index. The candidates are fenced (MATERIALIZED) before they are
     * ordered: given ORDER BY last_seen_at LIMIT n over a filter, the planner likes to walk the last_seen index
     * testing row after row, which for a common prefix reads a hundred thousand rows instead of its index matches.
     */
    private static final String WHOLE_TIER = """
            WITH matches AS MATERIALIZED (SELECT %s FROM users WHERE (%s) AND user_id <> ALL($5::bigint[]))
            SELECT *, $7::int AS tier FROM matches WHERE (%s) = $7 ORDER BY last_seen_at DESC, user_id DESC LIMIT $6
            """;
    static final List<String> WHOLE_TIERS = TIER_CONDITIONS.stream()
            .map(condition -> WHOLE_TIER.formatted(COLUMNS, condition, tierOfRow("true"))).toList();

    private final Pool pool;

    public SearchRepository(Pool pool) {
        this.pool = pool;
    }

    /** Query parameters shared by the statements. */
    public record Terms(String query, String escaped, String escapedFirstWord, Long numericId, boolean substrings) {
    }

    public Uni<List<SearchHit>> recentMatches(Terms terms, Long[] placed, int wanted, int window) {
        Tuple args = Tuple.of(terms.query(), terms.escaped(), terms.escapedFirstWord(), terms.numericId(), placed, wanted)
                .addValue(terms.substrings()).addValue(window);
        return pool.preparedQuery(RECENT_MATCHES).execute(args).map(rows -> Rows.map(rows, SearchHit::of));
    }

    /** The newest {@code wanted} users whose best tier is {@code tier}, not counting {@code placed} ones. */
    public Uni<List<SearchHit>> wholeTier(int tier, Terms terms, Long[] placed, int wanted) {
        Tuple args = Tuple.of(terms.query(), terms.escaped(), terms.escapedFirstWord(), terms.numericId(), placed, wanted)
                .addValue(tier);
        return pool.preparedQuery(WHOLE_TIERS.get(tier)).execute(args).map(rows -> Rows.map(rows, SearchHit::of));
    }
}
