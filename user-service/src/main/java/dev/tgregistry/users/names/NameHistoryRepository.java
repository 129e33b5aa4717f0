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

/** SQL over {@code user_name_history}: one row per distinct (username, first name, last name) of a user. */
@ApplicationScoped
public class NameHistoryRepository {
    /** Whether the user is known, and their names (none: a row of NULLs). */
    static final String NAMES = """
            SELECT u.user_id IS NOT NULL AS known, h.username, h.first_name, h.last_name, h.first_seen_at, h.last_seen_at,
                   (u.user_id IS NOT NULL AND h.username IS NOT DISTINCT FROM u.username
                    AND h.first_name IS NOT DISTINCT FROM u.first_name AND h.last_name IS NOT DISTINCT FROM u.last_name) AS current
            FROM (SELECT $1::bigint AS user_id) asked
            LEFT JOIN users u ON u.user_id = asked.user_id
            LEFT JOIN user_name_history h ON h.user_id = asked.user_id
            ORDER BY h.first_seen_at, h.last_seen_at
            """;

    /**
     * Rows of user_name_history whose username folds (migration V14) to the folded $1: the range of search_text
     * ("username\nnames", see SearchRepository) that starts with it and a newline, read from its prefix index.
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
                FROM user_name_history WHERE %s
                ORDER BY user_id, last_seen_at DESC
            ) n LEFT JOIN users u ON u.user_id = n.user_id
            ORDER BY n.last_seen_at DESC, n.user_id DESC
            """.formatted(HOLDER_COLUMNS, HAD_USERNAME);

    /**
     * Who had username $1 at time $2. A user's name at a time is the name they were most recently seen with by then
     * (a user keeps a name until seen with another). History keeps each name's first and last sighting only, so the
     * latest sighting known by then is its last one if that was by then, else its first.
     */
    static final String HELD_AT = """
            SELECT %s FROM (SELECT DISTINCT user_id FROM user_name_history
                            WHERE %s AND first_seen_at <= $2) holder
            CROSS JOIN LATERAL (
                SELECT * FROM user_name_history h WHERE h.user_id = holder.user_id AND h.first_seen_at <= $2
                ORDER BY CASE WHEN h.last_seen_at <= $2 THEN h.last_seen_at ELSE h.first_seen_at END DESC,
                         h.first_seen_at DESC
                LIMIT 1
            ) n
            LEFT JOIN users u ON u.user_id = n.user_id
            WHERE n.username IS NOT NULL AND split_part(n.search_text, E'\\n', 1) = (SELECT registry.search_fold($1::text))
            ORDER BY n.last_seen_at DESC, n.user_id DESC
            """.formatted(HOLDER_COLUMNS, HAD_USERNAME);

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
