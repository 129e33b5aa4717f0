package dev.tgregistry.users.names;

import dev.tgregistry.users.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A user's names: the former ones in {@code user_name_history} (one row per distinct username, first and last name)
 * and the current one in {@code users} (from its first sighting, {@code name_since}, to the newest snapshot).
 */
@ApplicationScoped
public class NameHistoryRepository {
    /**
     * Every name row of the users {@code filter} selects (unqualified columns of either table), as history rows.
     * A user's current name counts when a Telegram snapshot set it (names copied from a bot's records are not history).
     */
    private static String allNames(String filter) {
        return """
                (SELECT user_id, username, first_name, last_name, first_seen_at, last_seen_at, search_text, false AS current
                   FROM user_name_history WHERE %1$s
                 UNION ALL
                 SELECT user_id, username, first_name, last_name, COALESCE(name_since, first_seen_at),
                        GREATEST(snapshot_at, COALESCE(name_since, first_seen_at)), search_text, true
                   FROM users WHERE snapshot_at IS NOT NULL AND %1$s)""".formatted(filter);
    }

    /** Whether the user is known, and their names, each once (none: a row of NULLs). */
    static final String NAMES = """
            SELECT u.user_id IS NOT NULL AS known, g.username, g.first_name, g.last_name, g.first_seen_at, g.last_seen_at,
                   COALESCE(g.current, false) AS current
            FROM (SELECT $1::bigint AS user_id) asked
            LEFT JOIN users u ON u.user_id = asked.user_id
            LEFT JOIN (SELECT username, first_name, last_name, min(first_seen_at) AS first_seen_at,
                              max(last_seen_at) AS last_seen_at, bool_or(current) AS current
                       FROM %s n GROUP BY username, first_name, last_name) g ON true
            ORDER BY g.first_seen_at, g.last_seen_at
            """.formatted(allNames("user_id = $1::bigint"));

    /**
     * Names whose username folds (migration V14) to the folded $1: the range of search_text ("username\nnames", see
     * SearchRepository) that starts with it and a newline, read from the prefix index of either table.
     */
    private static final String HAD_USERNAME = """
            username IS NOT NULL AND search_text ~>=~ (SELECT registry.search_fold($1::text) || E'\\n')
            AND search_text ~<~ (SELECT registry.search_fold($1::text) || E'\\x0B')""";

    private static final String HOLDER_COLUMNS = """
            n.user_id, n.username, n.first_name, n.last_name, n.first_seen_at, n.last_seen_at,
            (u.username IS NOT NULL AND split_part(u.search_text, E'\\n', 1) = (SELECT registry.search_fold($1::text)))
                AS holds_it_now,
            u.username AS current_username, u.first_name AS current_first_name, u.last_name AS current_last_name""";

    /** Everyone who ever had username $1 (compared folded: case, NFKC, ...): per user the newest name with it, and its whole span. */
    static final String EVER_HELD = """
            SELECT %s FROM (
                SELECT DISTINCT ON (user_id) user_id, username, first_name, last_name,
                       min(first_seen_at) OVER (PARTITION BY user_id) AS first_seen_at,
                       max(last_seen_at) OVER (PARTITION BY user_id) AS last_seen_at
                FROM %s held
                ORDER BY user_id, last_seen_at DESC
            ) n LEFT JOIN users u ON u.user_id = n.user_id
            ORDER BY n.last_seen_at DESC, n.user_id DESC
            """.formatted(HOLDER_COLUMNS, allNames(HAD_USERNAME));

    /**
     * Who had username $1 at time $2. A user's name at a time is the name they were most recently seen with by then
     * (a user keeps a name until seen with another). A name keeps its first and last sighting only, so the latest
     * sighting known by then is its last one if that was by then, else its first.
     */
    static final String HELD_AT = """
            SELECT %s FROM (SELECT DISTINCT user_id FROM %s held WHERE first_seen_at <= $2) holder
            CROSS JOIN LATERAL (
                SELECT * FROM %s h WHERE h.first_seen_at <= $2
                ORDER BY CASE WHEN h.last_seen_at <= $2 THEN h.last_seen_at ELSE h.first_seen_at END DESC,
                         h.first_seen_at DESC
                LIMIT 1
            ) n
            LEFT JOIN users u ON u.user_id = n.user_id
            WHERE n.username IS NOT NULL AND split_part(n.search_text, E'\\n', 1) = (SELECT registry.search_fold($1::text))
            ORDER BY n.last_seen_at DESC, n.user_id DESC
            """.formatted(HOLDER_COLUMNS, allNames(HAD_USERNAME), allNames("user_id = holder.user_id"));

    private final Pool pool;

    public NameHistoryRepository(Pool pool) {
        this.pool = pool;
    }

    /** The user's names, oldest first; null when the registry knows neither the user nor any name of theirs. */
    public Uni<List<NameRecord>> names(long userId) {
        return pool.preparedQuery(NAMES).execute(Tuple.of(userId)).map(NameHistoryRepository::namesOrNull);
    }

    public Uni<List<UsernameHolder>> holders(String username, Instant at) {
        if (at == null) {
            return pool.preparedQuery(EVER_HELD).execute(Tuple.of(username)).map(rows -> Rows.map(rows, UsernameHolder::of));
        }
        OffsetDateTime time = at.atOffset(ZoneOffset.UTC);
        return pool.preparedQuery(HELD_AT).execute(Tuple.of(username, time)).map(rows -> Rows.map(rows, UsernameHolder::of));
    }

    private static List<NameRecord> namesOrNull(RowSet<Row> rows) {
        List<Row> all = Rows.map(rows, row -> row);
        boolean known = all.stream().anyMatch(row -> row.getBoolean("known"));
        List<NameRecord> names = all.stream().filter(row -> row.getOffsetDateTime("first_seen_at") != null)
                .map(NameRecord::of).toList();
        return known || !names.isEmpty() ? names : null;
    }
}
