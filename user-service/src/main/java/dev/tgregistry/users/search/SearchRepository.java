package dev.tgregistry.users.search;

import dev.tgregistry.users.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Search SQL over {@code users.search_text} ("username\nfirst last\u001Flast", see migration V5 and
 * {@link SearchQuery}). Tiers: 0 exact username or the numeric id, 1 username prefix, 2 first-name, "first last"
 * or last-name prefix, 3 substring anywhere; within a tier the most recently seen first.
 *
 * <p>$1..$6 of every statement are {@link SearchQuery#tierParameters()}. Tier tests use strpos/starts_with,
 * which no index serves, so each statement's plan is fixed by the one condition meant to drive it.
 */
@ApplicationScoped
public class SearchRepository {
    static final String TIER_OF_ROW = """
            CASE WHEN user_id = $6 OR starts_with(search_text, $2) THEN %d
                 WHEN starts_with(search_text, $1) THEN %d
                 WHEN strpos(search_text, $3) > 0 OR strpos(search_text, $4) > 0 THEN %d
                 WHEN $5 AND strpos(search_text, $1) > 0 THEN %d END""".formatted(
            SearchTier.EXACT, SearchTier.USERNAME_PREFIX, SearchTier.NAME_PREFIX, SearchTier.SUBSTRING);
    private static final String NEWEST_FIRST = "ORDER BY last_seen_at DESC, user_id DESC";

    /**
     * Tier 0 over the whole table (a point range of the search_text index, or the primary key), and tiers 1-3
     * among the users seen at or after $8 (a walk of the last_seen index, which carries search_text): at most
     * $7 per tier. $8 null = everyone.
     */
    static final String FIRST_LOOK = """
            WITH in_window AS MATERIALIZED (
                SELECT user_id, last_seen_at, %1$s AS tier FROM users
                WHERE last_seen_at >= COALESCE($8::timestamptz, '-infinity') AND strpos(search_text, $1) > 0
            )
            SELECT user_id, tier FROM (
                (SELECT user_id, last_seen_at, %3$d AS tier FROM users
                 WHERE (search_text ~>=~ $2 AND search_text ~<~ $9) OR user_id = $6 %2$s LIMIT $7)
                UNION ALL
                SELECT user_id, last_seen_at, tier FROM (
                    SELECT *, row_number() OVER (PARTITION BY tier %2$s) AS rank_in_tier FROM in_window WHERE tier > %3$d
                ) ranked
                WHERE rank_in_tier <= $7
            ) found ORDER BY tier, last_seen_at DESC, user_id DESC
            """.formatted(TIER_OF_ROW, NEWEST_FIRST, SearchTier.EXACT);

    /**
     * The rest of one tier over the whole table, from the index that finds its candidates. The candidates are
     * fenced (MATERIALIZED) before they are ordered: given ORDER BY last_seen_at LIMIT n, the planner likes to
     * walk the last_seen index instead, testing row after row. (Materializing also computes each row's tier
     * once.) $7 = first argument, $8 = user ids already placed, $9 = rows wanted, $10 = the tier.
     */
    private static final String REST_OF_TIER = """
            WITH candidates AS MATERIALIZED (SELECT user_id, last_seen_at, %s AS tier FROM users WHERE %s)
            SELECT user_id, tier FROM candidates
            WHERE tier = $10 AND user_id <> ALL($8::bigint[])
            %s LIMIT $9
            """;
    /** Username prefixes: a range of the search_text index, read without the table. $7 = upper bound. */
    static final String USERNAME_PREFIXES = REST_OF_TIER.formatted(
            TIER_OF_ROW, "search_text ~>=~ $1 AND search_text ~<~ $7", NEWEST_FIRST);
    /** First-name / "first last" and last-name prefixes: ranges of the two name indexes. $7 = upper bound. */
    static final String NAME_PREFIXES = REST_OF_TIER.formatted(TIER_OF_ROW,
            "(split_part(search_text, E'\\n', 2) ~>=~ $1 AND split_part(search_text, E'\\n', 2) ~<~ $7)"
                    + " OR (split_part(search_text, E'\\x1F', 2) ~>=~ $1 AND split_part(search_text, E'\\x1F', 2) ~<~ $7)", NEWEST_FIRST);
    /** Substrings, through the trigram index. $7 = LIKE pattern. */
    static final String SUBSTRINGS = REST_OF_TIER.formatted(TIER_OF_ROW, "search_text LIKE $7", NEWEST_FIRST);
    /** For queries without a letter or digit, which the trigram index cannot narrow: the newest-first walk. $7 = $1. */
    static final String WALK = """
            SELECT user_id, tier FROM (SELECT user_id, last_seen_at, %s AS tier FROM users
                                       WHERE strpos(search_text, $7) > 0 AND user_id <> ALL($8::bigint[])) c
            WHERE tier = $10 %s LIMIT $9
            """.formatted(TIER_OF_ROW, NEWEST_FIRST);

    /**
     * Former names (user_name_history, same search_text form as users'): exact or prefix username (tiers 0, 1),
     * first-name / "first last" / last-name prefix (tier 2), through the history's three prefix indexes; the user's
     * current name and users already placed excluded; per user its best former match; ranked by that tier, then the
     * user's most recent sighting. $1 = query, $2 = query + newline, $3 = prefix upper bound, $4 = user ids already
     * placed, $5 = rows wanted.
     */
    static final String FORMER_NAMES = """
            WITH candidates AS MATERIALIZED (
                SELECT user_id, username, first_name, last_name, last_seen_at,
                       CASE WHEN starts_with(search_text, $2) THEN %d WHEN starts_with(search_text, $1) THEN %d ELSE %d END AS tier
                FROM user_name_history
                WHERE (search_text ~>=~ $1 AND search_text ~<~ $3)
                   OR (split_part(search_text, E'\\n', 2) ~>=~ $1 AND split_part(search_text, E'\\n', 2) ~<~ $3)
                   OR (split_part(search_text, E'\\x1F', 2) ~>=~ $1 AND split_part(search_text, E'\\x1F', 2) ~<~ $3)
            ), best AS (
                SELECT DISTINCT ON (c.user_id) c.user_id, c.tier, c.username, c.first_name, c.last_name,
                       u.last_seen_at AS user_seen_at
                FROM candidates c JOIN users u ON u.user_id = c.user_id
                WHERE c.user_id <> ALL($4::bigint[])
                  AND (c.username, c.first_name, c.last_name) IS DISTINCT FROM (u.username, u.first_name, u.last_name)
                ORDER BY c.user_id, c.tier, c.last_seen_at DESC
            )
            SELECT user_id, tier, username, first_name, last_name FROM best
            ORDER BY tier, user_seen_at DESC, user_id DESC LIMIT $5
            """.formatted(SearchTier.EXACT, SearchTier.USERNAME_PREFIX, SearchTier.NAME_PREFIX);

    /**
     * The users found, and whether the folded query ($2) is in their folded username, or in their "first last"
     * name (search_text's first part, and its second up to the repeated last name): which of them a hit reports
     * as matched.
     */
    static final String HITS = """
            SELECT user_id, username, first_name, last_name, is_active,
                   COALESCE(strpos(split_part(search_text, E'\\n', 1), $2) > 0, false) AS username_matches,
                   COALESCE(strpos(split_part(split_part(search_text, E'\\n', 2), E'\\x1F', 1), $2) > 0, false)
                       AS name_matches
            FROM users WHERE user_id = ANY($1::bigint[])
            """;
    /** The query in search_text's form: the one folding (migration V14), in SQL. */
    static final String FOLD = "SELECT registry.search_fold($1) AS folded";

    private final Pool pool;

    public SearchRepository(Pool pool) {
        this.pool = pool;
    }

    /** A user id and the tier it matched in. */
    record Match(long userId, int tier) {
        static Match of(Row row) {
            return new Match(row.getLong("user_id"), row.getInteger("tier"));
        }
    }

    /** A user found by a former name, and that name. */
    record FormerMatch(long userId, int tier, String username, String firstName, String lastName) {
        static FormerMatch of(Row row) {
            return new FormerMatch(row.getLong("user_id"), row.getInteger("tier"), row.getString("username"),
                    row.getString("first_name"), row.getString("last_name"));
        }
    }

    public Uni<List<Match>> firstLook(SearchQuery query, int perTier, OffsetDateTime windowStart) {
        Tuple args = query.tierParameters().addValue(perTier).addValue(windowStart).addValue(query.exactUpperBound());
        return matches(FIRST_LOOK, args);
    }

    public Uni<List<Match>> usernamePrefixes(SearchQuery query, Long[] placed, int wanted) {
        return rest(USERNAME_PREFIXES, query, query.prefixUpperBound(), placed, wanted, 1);
    }

    public Uni<List<Match>> namePrefixes(SearchQuery query, Long[] placed, int wanted) {
        return rest(NAME_PREFIXES, query, query.prefixUpperBound(), placed, wanted, 2);
    }

    public Uni<List<Match>> substrings(SearchQuery query, Long[] placed, int wanted) {
        return rest(SUBSTRINGS, query, query.likeSubstring(), placed, wanted, 3);
    }

    /** Substrings for a query without a letter or digit, which the trigram index cannot narrow. */
    public Uni<List<Match>> substringsByWalk(SearchQuery query, Long[] placed, int wanted) {
        return rest(WALK, query, query.text(), placed, wanted, 3);
    }

    /** Users found by a former name only, after every user whose current names match ({@code placed}). */
    public Uni<List<FormerMatch>> formerNames(SearchQuery query, Long[] placed, int wanted) {
        Tuple args = Tuple.of(query.text(), query.text() + "\n", query.prefixUpperBound(), placed, wanted);
        return pool.preparedQuery(FORMER_NAMES).execute(args).map(rows -> Rows.map(rows, FormerMatch::of));
    }

    /** A user found, and which of their current names holds the query. */
    record Hit(SearchHit user, boolean usernameMatches, boolean nameMatches) {
        static Hit of(Row row) {
            return new Hit(SearchHit.of(row), row.getBoolean("username_matches"), row.getBoolean("name_matches"));
        }
    }

    /** The query folded as search_text is (control characters already spaces, see {@link SearchQuery#withoutControls}). */
    public Uni<String> fold(String query) {
        return pool.preparedQuery(FOLD).execute(Tuple.of(query)).map(rows -> rows.iterator().next().getString("folded"));
    }

    public Uni<List<Hit>> hits(List<Long> userIds, SearchQuery query) {
        return pool.preparedQuery(HITS).execute(Tuple.of(userIds.toArray(Long[]::new), query.text()))
                .map(rows -> Rows.map(rows, Hit::of));
    }

    private Uni<List<Match>> rest(String sql, SearchQuery query, String argument, Long[] placed, int wanted, int tier) {
        return matches(sql, restArguments(query, argument, placed, wanted, tier));
    }

    private static Tuple restArguments(SearchQuery query, String argument, Long[] placed, int wanted, int tier) {
        return query.tierParameters().addValue(argument).addValue(placed).addValue(wanted).addValue(tier);
    }

    private Uni<List<Match>> matches(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args).map(rows -> Rows.map(rows, Match::of));
    }
}
