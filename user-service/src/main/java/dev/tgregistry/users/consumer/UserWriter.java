package dev.tgregistry.users.consumer;

import dev.tgregistry.users.db.SightingTimes;
import dev.tgregistry.model.UserSeen;
import io.smallrye.mutiny.Uni;
import dev.tgregistry.users.reachability.ReachabilitySql;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;

import static dev.tgregistry.users.consumer.SqlArrays.bools;
import static dev.tgregistry.users.consumer.SqlArrays.longs;
import static dev.tgregistry.users.consumer.SqlArrays.texts;
import static dev.tgregistry.users.consumer.SqlArrays.times;

/**
 * Set-based writes of user sightings: a whole batch is two statements in one transaction.
 * The upsert's WHERE clause skips rows a batch cannot change, so a redelivered batch writes nothing.
 */
@ApplicationScoped
public class UserWriter {
    /**
     * Whether incoming row {@code n} changes stored row {@code t} (of users); the same rule filters and updates.
     * Names follow the newest snapshot, and of two in the same second (Telegram dates are whole seconds) the later
     * arrival, as within a batch ({@link UserSnapshots}): a partition is applied in order, so that is the later one.
     */
    static String userChanges(String t, String n) {
        return """
                (%1$s.snapshot_at IS NULL
                 OR %2$s.first_seen_at < %1$s.first_seen_at
                 OR %2$s.last_seen_at >= %1$s.last_seen_at + %3$s
                 OR %2$s.private_chat_since < COALESCE(%1$s.private_chat_since, 'infinity')
                 OR %2$s.private_chat_seen_at >= COALESCE(%1$s.private_chat_seen_at, '-infinity') + %3$s
                 OR %2$s.active_changed_at > %4$s
                 OR %5$s
                 OR (%2$s.snapshot_at >= %1$s.snapshot_at
                     AND (%2$s.snapshot_at >= %1$s.snapshot_at + %3$s
                          OR (%1$s.username, %1$s.first_name, %1$s.last_name, %1$s.is_bot, %1$s.is_premium)
                             IS DISTINCT FROM (%2$s.username, %2$s.first_name, %2$s.last_name, %2$s.is_bot, %2$s.is_premium)))
                 OR (%2$s.language_at > COALESCE(%1$s.language_at, '-infinity')
                     AND (%1$s.language_at IS NULL OR %2$s.language_at >= %1$s.language_at + %3$s
                          OR %1$s.language_code IS DISTINCT FROM %2$s.language_code)))"""
                .formatted(t, n, SightingTimes.STEP, ReachabilitySql.settledAt(t), ReachabilitySql.reopenedBy(t, n + ".private_chat_seen_at"));
    }

    /** A status (block or unblock in the private chat) newer than the stored reachability: it decides. */
    private static final String STATUS_DECIDES = "excluded.active_changed_at > " + ReachabilitySql.settledAt("u");
    /** A private-chat sighting newer than a block or failure on record ends it (never a deactivation). */
    private static final String REOPENS = ReachabilitySql.reopenedBy("u", "excluded.private_chat_seen_at");

    public static final String UPSERT_USERS = """
            WITH s AS (
                SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::boolean[],
                                     $7::timestamptz[], $8::text[], $9::timestamptz[], $10::boolean[],
                                     $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[],
                                     $15::timestamptz[], $16::timestamptz[])
                    AS s(user_id, username, first_name, last_name, is_bot, is_premium, snapshot_at, language_code,
                         language_at, is_active, active_changed_at, first_seen_at, last_seen_at, private_chat_since,
                         private_chat_seen_at, name_since))
            INSERT INTO users AS u (user_id, username, first_name, last_name, is_bot, is_premium, snapshot_at,
                                    language_code, language_at, is_active, active_changed_at,
                                    first_seen_at, last_seen_at, private_chat_since, private_chat_seen_at, name_since,
                                    search_text, updated_at)
            SELECT s.*, registry.names_search_text(s.username, s.first_name, s.last_name), now()
            FROM s LEFT JOIN users o ON o.user_id = s.user_id
            WHERE o.user_id IS NULL OR %1$s
            ON CONFLICT (user_id) DO UPDATE SET
                username      = CASE WHEN u.snapshot_at IS NULL OR excluded.snapshot_at >= u.snapshot_at THEN excluded.username ELSE u.username END,
                first_name    = CASE WHEN u.snapshot_at IS NULL OR excluded.snapshot_at >= u.snapshot_at THEN excluded.first_name ELSE u.first_name END,
                last_name     = CASE WHEN u.snapshot_at IS NULL OR excluded.snapshot_at >= u.snapshot_at THEN excluded.last_name ELSE u.last_name END,
                is_bot        = CASE WHEN u.snapshot_at IS NULL OR excluded.snapshot_at >= u.snapshot_at THEN excluded.is_bot ELSE u.is_bot END,
                is_premium    = CASE WHEN u.snapshot_at IS NULL OR excluded.snapshot_at >= u.snapshot_at THEN excluded.is_premium ELSE u.is_premium END,
                name_since    = CASE WHEN (u.username, u.first_name, u.last_name)
                                         IS NOT DISTINCT FROM (excluded.username, excluded.first_name, excluded.last_name)
                                         THEN LEAST(u.name_since, excluded.name_since)
                                         WHEN u.snapshot_at IS NULL OR excluded.snapshot_at >= u.snapshot_at THEN excluded.name_since
                                         ELSE u.name_since END,
                snapshot_at   = GREATEST(u.snapshot_at, excluded.snapshot_at),
                language_code = CASE WHEN excluded.language_at > COALESCE(u.language_at, '-infinity') THEN excluded.language_code ELSE u.language_code END,
                language_at   = GREATEST(u.language_at, excluded.language_at),
                is_active     = CASE WHEN %3$s THEN excluded.is_active WHEN %4$s THEN true ELSE u.is_active END,
                active_changed_at = CASE WHEN %3$s THEN excluded.active_changed_at
                                         WHEN %4$s AND u.is_active IS FALSE THEN excluded.private_chat_seen_at
                                         ELSE u.active_changed_at END,
                unreachable_reason = CASE WHEN %3$s THEN CASE WHEN excluded.is_active THEN NULL ELSE 'blocked' END
                                          WHEN %4$s THEN NULL ELSE u.unreachable_reason END,
                unreachable_at = CASE WHEN %3$s THEN CASE WHEN excluded.is_active THEN NULL ELSE excluded.active_changed_at END
                                      WHEN %4$s THEN NULL ELSE u.unreachable_at END,
                first_seen_at = LEAST(u.first_seen_at, excluded.first_seen_at),
                last_seen_at  = GREATEST(u.last_seen_at, excluded.last_seen_at),
                private_chat_since = CASE WHEN u.unreachable_reason = 'cant_initiate' AND NOT %4$s THEN u.private_chat_since
                                          ELSE LEAST(u.private_chat_since, excluded.private_chat_since) END,
                private_chat_seen_at = GREATEST(u.private_chat_seen_at, excluded.private_chat_seen_at),
                updated_at    = now()
            WHERE %2$s
            """.formatted(userChanges("o", "s"), userChanges("u", "excluded"), STATUS_DECIDES, REOPENS);

    /**
     * The batch's names other than the user's current one (after {@link #UPSERT_USERS}): a rename inside the batch, or
     * a late sighting of an older name. The current name lives in users alone; a name the upsert replaced was written
     * by the users_former_name trigger (migration V16). A history row is written when it is new, seen earlier than
     * stored, or a step later than its stored last sighting.
     */
    public static final String RECORD_NAMES = """
            WITH s AS (
                SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])
                    AS s(user_id, username, first_name, last_name, first_seen_at, last_seen_at))
            INSERT INTO user_name_history AS h (user_id, username, first_name, last_name, first_seen_at, last_seen_at)
            SELECT s.* FROM s LEFT JOIN user_name_history o
                ON o.user_id = s.user_id AND COALESCE(o.username, '') = COALESCE(s.username, '')
               AND COALESCE(o.first_name, '') = COALESCE(s.first_name, '') AND COALESCE(o.last_name, '') = COALESCE(s.last_name, '')
            WHERE NOT EXISTS (SELECT 1 FROM users c WHERE c.user_id = s.user_id AND c.snapshot_at IS NOT NULL
                                AND COALESCE(c.username, '') = COALESCE(s.username, '')
                                AND COALESCE(c.first_name, '') = COALESCE(s.first_name, '')
                                AND COALESCE(c.last_name, '') = COALESCE(s.last_name, ''))
              AND (o.user_id IS NULL OR s.first_seen_at < o.first_seen_at OR s.last_seen_at >= o.last_seen_at + %1$s)
            ON CONFLICT (user_id, (COALESCE(username, '')), (COALESCE(first_name, '')), (COALESCE(last_name, '')))
            DO UPDATE SET first_seen_at = LEAST(h.first_seen_at, excluded.first_seen_at),
                          last_seen_at = GREATEST(h.last_seen_at, excluded.last_seen_at)
            WHERE excluded.first_seen_at < h.first_seen_at OR excluded.last_seen_at >= h.last_seen_at + %1$s
            """.formatted(SightingTimes.STEP);

    /**
     * The erasure lock, taken shared once per transaction, and the batch looked up in erased_users at once
     * (migration V16): when nobody in it was erased, the per-row erasure guards skip the rest of the transaction.
     */
    public static final String CHECK_ERASURES = "SELECT registry.check_erasures($1::bigint[])";

    private final Pool pool;

    public UserWriter(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> applySightings(List<UserSeen> sightings) {
        UserSnapshots snapshots = UserSnapshots.of(sightings);
        return pool.withTransaction(connection -> checkErasures(connection, snapshots.rows())
                .chain(() -> upsertUsers(connection, snapshots.rows()))
                .chain(() -> recordNames(connection, snapshots.names())));
    }

    Uni<Void> checkErasures(SqlConnection connection, Collection<UserSnapshots.Row> rows) {
        return connection.preparedQuery(CHECK_ERASURES).execute(Tuple.of(longs(rows, row -> row.userId))).replaceWithVoid();
    }

    Uni<Void> upsertUsers(SqlConnection connection, Collection<UserSnapshots.Row> rows) {
        return connection.preparedQuery(UPSERT_USERS).execute(Tuple.tuple(userParameters(rows))).replaceWithVoid();
    }

    /** {@link #UPSERT_USERS}' parameters in the order of its {@code $n}: one array per column (the ingest benchmarks bind them too). */
    public static List<Object> userParameters(Collection<UserSnapshots.Row> rows) {
        return List.of(
                longs(rows, row -> row.userId),
                texts(rows, row -> row.identity.username()),
                texts(rows, row -> row.identity.firstName()),
                texts(rows, row -> row.identity.lastName()),
                bools(rows, row -> row.identity.isBot()),
                bools(rows, row -> row.identity.isPremium()),
                times(rows, row -> row.snapshotAt),
                texts(rows, row -> row.languageCode),
                times(rows, row -> row.languageAt),
                bools(rows, row -> row.active),
                times(rows, row -> row.activeChangedAt),
                times(rows, row -> row.firstSeenAt),
                times(rows, row -> row.lastSeenAt),
                times(rows, row -> row.privateChatAt),
                times(rows, row -> row.reachedAt),
                times(rows, row -> row.nameSince));
    }

    Uni<Void> recordNames(SqlConnection connection, Collection<UserSnapshots.Name> names) {
        return connection.preparedQuery(RECORD_NAMES).execute(Tuple.tuple(nameParameters(names))).replaceWithVoid();
    }

    /** {@link #RECORD_NAMES}' parameters in the order of its {@code $n}. */
    public static List<Object> nameParameters(Collection<UserSnapshots.Name> names) {
        return List.of(
                longs(names, UserSnapshots.Name::userId),
                texts(names, UserSnapshots.Name::username),
                texts(names, UserSnapshots.Name::firstName),
                texts(names, UserSnapshots.Name::lastName),
                times(names, UserSnapshots.Name::firstSeenAt),
                times(names, UserSnapshots.Name::lastSeenAt));
    }
}
