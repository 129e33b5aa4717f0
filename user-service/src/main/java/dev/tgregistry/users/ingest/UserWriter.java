package dev.tgregistry.users.ingest;

import dev.tgregistry.model.UserSeen;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;

import static dev.tgregistry.users.ingest.SqlArrays.bools;
import static dev.tgregistry.users.ingest.SqlArrays.longs;
import static dev.tgregistry.users.ingest.SqlArrays.texts;
import static dev.tgregistry.users.ingest.SqlArrays.times;

/**
 * Set-based writes of user sightings: a whole batch is two statements in one transaction.
 * The upsert's WHERE clause skips rows a batch cannot change, so a redelivered batch writes nothing.
 */
@ApplicationScoped
public class UserWriter {
    static final String UPSERT_USERS = """
            INSERT INTO users AS u (user_id, username, first_name, last_name, is_bot, is_premium, snapshot_at,
                                    language_code, language_at, is_active, active_changed_at,
                                    first_seen_at, last_seen_at, private_chat_since, updated_at)
            SELECT s.*, now() FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::boolean[],
                                          $7::timestamptz[], $8::text[], $9::timestamptz[], $10::boolean[],
                                          $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[]) AS s
            ON CONFLICT (user_id) DO UPDATE SET
                username      = CASE WHEN u.snapshot_at IS NULL OR excluded.snapshot_at > u.snapshot_at THEN excluded.username ELSE u.username END,
                first_name    = CASE WHEN u.snapshot_at IS NULL OR excluded.snapshot_at > u.snapshot_at THEN excluded.first_name ELSE u.first_name END,
                last_name     = CASE WHEN u.snapshot_at IS NULL OR excluded.snapshot_at > u.snapshot_at THEN excluded.last_name ELSE u.last_name END,
                is_bot        = CASE WHEN u.snapshot_at IS NULL OR excluded.snapshot_at > u.snapshot_at THEN excluded.is_bot ELSE u.is_bot END,
                is_premium    = CASE WHEN u.snapshot_at IS NULL OR excluded.snapshot_at > u.snapshot_at THEN excluded.is_premium ELSE u.is_premium END,
                snapshot_at   = GREATEST(u.snapshot_at, excluded.snapshot_at),
                language_code = CASE WHEN excluded.language_at > COALESCE(u.language_at, '-infinity') THEN excluded.language_code ELSE u.language_code END,
                language_at   = GREATEST(u.language_at, excluded.language_at),
                is_active     = CASE WHEN excluded.active_changed_at > COALESCE(u.active_changed_at, '-infinity') THEN excluded.is_active ELSE u.is_active END,
                active_changed_at = GREATEST(u.active_changed_at, excluded.active_changed_at),
                first_seen_at = LEAST(u.first_seen_at, excluded.first_seen_at),
                last_seen_at  = GREATEST(u.last_seen_at, excluded.last_seen_at),
                private_chat_since = LEAST(u.private_chat_since, excluded.private_chat_since),
                updated_at    = now()
            WHERE u.snapshot_at IS NULL OR excluded.snapshot_at > u.snapshot_at
               OR excluded.language_at > COALESCE(u.language_at, '-infinity')
               OR excluded.active_changed_at > COALESCE(u.active_changed_at, '-infinity')
               OR excluded.first_seen_at < COALESCE(u.first_seen_at, 'infinity')
               OR excluded.last_seen_at > COALESCE(u.last_seen_at, '-infinity')
               OR excluded.private_chat_since < COALESCE(u.private_chat_since, 'infinity')
            """;

    static final String RECORD_NAMES = """
            INSERT INTO user_name_history AS h (user_id, username, first_name, last_name, first_seen_at, last_seen_at)
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])
            ON CONFLICT (user_id, (COALESCE(username, '')), (COALESCE(first_name, '')), (COALESCE(last_name, '')))
            DO UPDATE SET first_seen_at = LEAST(h.first_seen_at, excluded.first_seen_at),
                          last_seen_at = GREATEST(h.last_seen_at, excluded.last_seen_at)
            WHERE excluded.first_seen_at < h.first_seen_at OR excluded.last_seen_at > h.last_seen_at
            """;

    private final Pool pool;

    public UserWriter(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> applySightings(List<UserSeen> sightings) {
        UserSnapshots snapshots = UserSnapshots.of(sightings);
        return pool.withTransaction(connection -> upsertUsers(connection, snapshots.rows())
                .chain(() -> recordNames(connection, snapshots.names())));
    }

    Uni<Void> upsertUsers(SqlConnection connection, Collection<UserSnapshots.Row> rows) {
        Tuple columns = Tuple.tuple(List.of(
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
                times(rows, row -> row.privateChatAt)));
        return connection.preparedQuery(UPSERT_USERS).execute(columns).replaceWithVoid();
    }

    Uni<Void> recordNames(SqlConnection connection, Collection<UserSnapshots.Name> names) {
        Tuple columns = Tuple.tuple(List.of(
                longs(names, UserSnapshots.Name::userId),
                texts(names, UserSnapshots.Name::username),
                texts(names, UserSnapshots.Name::firstName),
                texts(names, UserSnapshots.Name::lastName),
                times(names, UserSnapshots.Name::firstSeenAt),
                times(names, UserSnapshots.Name::lastSeenAt)));
        return connection.preparedQuery(RECORD_NAMES).execute(columns).replaceWithVoid();
    }
}
