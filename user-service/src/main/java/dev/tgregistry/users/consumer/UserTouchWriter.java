package dev.tgregistry.users.consumer;

import dev.tgregistry.users.db.SightingTimes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.tgregistry.users.consumer.SqlArrays.longs;
import static dev.tgregistry.users.consumer.SqlArrays.texts;
import static dev.tgregistry.users.consumer.SqlArrays.times;

/**
 * Makes sure every user a bot record mentions exists in {@code users} and widens first/last seen.
 * Copied names fill in only while the user has no Telegram snapshot of their own: per field, the newest
 * non-empty copy wins, and an empty field takes any copy (the same rule as the backfill in V4).
 */
@ApplicationScoped
public class UserTouchWriter {
    /**
     * Whether a touch {@code n} changes stored row {@code t}: as for sightings ({@link SightingTimes#STEP}), a touch that
     * only moves last seen by less than the step is not written; copied names matter only while there is no snapshot.
     */
    static String touchChanges(String t, String n) {
        return """
                (%2$s.first_seen_at < %1$s.first_seen_at
                 OR %2$s.last_seen_at >= %1$s.last_seen_at + %3$s
                 OR (%1$s.snapshot_at IS NULL AND %2$s.copied_names_at > COALESCE(%1$s.copied_names_at, '-infinity')))"""
                .formatted(t, n, SightingTimes.STEP);
    }

    static final String TOUCH_USERS = """
            WITH s AS (
                SELECT s.user_id, s.username, s.first_name, s.names_at AS copied_names_at, s.first_seen AS first_seen_at,
                       s.last_seen AS last_seen_at
                FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[])
                    AS s(user_id, username, first_name, names_at, first_seen, last_seen))
            INSERT INTO users AS u (user_id, username, first_name, copied_names_at, first_seen_at, last_seen_at, updated_at)
            SELECT s.*, now() FROM s LEFT JOIN users o ON o.user_id = s.user_id
            WHERE o.user_id IS NULL OR %s
            ON CONFLICT (user_id) DO UPDATE SET
                username   = CASE WHEN u.snapshot_at IS NULL AND excluded.username IS NOT NULL
                                   AND (u.username IS NULL OR excluded.copied_names_at > COALESCE(u.copied_names_at, '-infinity'))
                                  THEN excluded.username ELSE u.username END,
                first_name = CASE WHEN u.snapshot_at IS NULL AND excluded.first_name IS NOT NULL
                                   AND (u.first_name IS NULL OR excluded.copied_names_at > COALESCE(u.copied_names_at, '-infinity'))
                                  THEN excluded.first_name ELSE u.first_name END,
                copied_names_at = GREATEST(u.copied_names_at, excluded.copied_names_at),
                first_seen_at = LEAST(u.first_seen_at, excluded.first_seen_at),
                last_seen_at  = GREATEST(u.last_seen_at, excluded.last_seen_at),
                updated_at = now()
            WHERE %s
            """.formatted(touchChanges("o", "s"), touchChanges("u", "excluded"));

    /** One row per user: seen range, newest copied names. */
    private static final class Row {
        final long userId;
        Instant firstSeen;
        Instant lastSeen;
        String username;
        String firstName;
        Instant namesAt;

        Row(long userId) {
            this.userId = userId;
        }
    }

    public Uni<Void> touch(SqlConnection connection, Collection<UserTouch> touches) {
        Map<Long, Row> rows = new TreeMap<>(); // by user id: one lock order for concurrent batches
        for (UserTouch touch : touches) {
            Row row = rows.computeIfAbsent(touch.userId(), Row::new);
            Instant at = touch.at();
            row.firstSeen = row.firstSeen == null || at.isBefore(row.firstSeen) ? at : row.firstSeen;
            row.lastSeen = row.lastSeen == null || at.isAfter(row.lastSeen) ? at : row.lastSeen;
            if (touch.hasNames() && (row.namesAt == null || !at.isBefore(row.namesAt))) {
                row.username = touch.username();
                row.firstName = touch.firstName();
                row.namesAt = at;
            }
        }
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Collection<Row> values = rows.values();
        Tuple columns = Tuple.tuple(List.of(
                longs(values, row -> row.userId),
                texts(values, row -> row.username),
                texts(values, row -> row.firstName),
                times(values, row -> row.namesAt),
                times(values, row -> row.firstSeen),
                times(values, row -> row.lastSeen)));
        return connection.preparedQuery(TOUCH_USERS).execute(columns).replaceWithVoid();
    }
}
