package dev.tgregistry.users.privacy;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The export's read (every table holding the person, as JSON arrays of whole rows, in one statement: one snapshot)
 * and the erasure's statements, run on the connection of the caller's transaction.
 */
@ApplicationScoped
public class PrivacyRepository {
    static final String EXPORT = exportSql();
    /** The lock the V11 triggers share: waits for the consumers' writes in flight. */
    static final String EXCLUSIVE_LOCK = "SELECT 1 FROM (SELECT pg_advisory_xact_lock(20250, 2)) AS locked";
    static final String TOMBSTONE = "INSERT INTO erased_users (user_id, erased_at) VALUES ($1, $2) "
            + "ON CONFLICT (user_id) DO UPDATE SET erased_at = GREATEST(erased_users.erased_at, excluded.erased_at)";

    private final Pool pool;

    public PrivacyRepository(Pool pool) {
        this.pool = pool;
    }

    /** {@code {"table": [rows...], ...}} as JSON text. */
    public Uni<String> export(long userId) {
        return pool.preparedQuery(EXPORT).execute(Tuple.of(userId)).map(rows -> rows.iterator().next().getString(0));
    }

    Uni<Void> lockOutConsumers(SqlConnection connection) {
        return connection.query(EXCLUSIVE_LOCK).execute().replaceWithVoid();
    }

    /** Emits how many rows of the holder's table the erasure deleted or anonymized. */
    Uni<Integer> erase(SqlConnection connection, PersonalData.Holder holder, long userId) {
        return connection.preparedQuery(holder.erasure()).execute(Tuple.of(userId)).map(RowSet::rowCount);
    }

    Uni<Void> tombstone(SqlConnection connection, long userId, Instant at) {
        return connection.preparedQuery(TOMBSTONE).execute(Tuple.of(userId, OffsetDateTime.ofInstant(at, ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    private static String exportSql() {
        List<String> tables = new ArrayList<>();
        PersonalData.HOLDERS.forEach(holder -> tables.add(holder.table()));
        tables.addAll(PersonalData.ERASURE_RECORDS);
        // search_text is users' (and the history's) lower-cased copy of the names, not data of its own
        return tables.stream()
                .map(table -> "'" + table + "', (SELECT COALESCE(jsonb_agg(to_jsonb(t) - 'search_text'), '[]') FROM "
                        + table + " t WHERE t.user_id = $1)")
                .collect(Collectors.joining(", ", "SELECT jsonb_build_object(", ")::text"));
    }
}
