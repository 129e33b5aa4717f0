package dev.tgregistry.users.adoption;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SQL of adoption: the bot's tables, the queue of their rows, and the functions of V12__adoption.sql. */
@ApplicationScoped
public class AdoptionRepository {
    static final String SHAPES = "SELECT bot_table, shape FROM registry.bot_table_shapes($1) WHERE shape IS NOT NULL";
    static final String ADOPT = "SELECT registry.adopt_bot_table($1, $2)";
    static final String TABLES = "SELECT bot_table, shape, adopted_at, backfilled_at, legacy_writes, last_legacy_write_at,"
            + " finished_at, backfilled_up_to FROM registry.adopted_tables ORDER BY bot_table";
    static final String NEXT_WRITES = "SELECT id, bot_table, operation, row_data::text AS row_data, written_at"
            + " FROM registry.legacy_writes ORDER BY id LIMIT $1";
    static final String DELETE_WRITES = "DELETE FROM registry.legacy_writes WHERE id <= $1";
    static final String COUNT_WRITES = "UPDATE registry.adopted_tables SET legacy_writes = legacy_writes + $2,"
            + " last_legacy_write_at = GREATEST(last_legacy_write_at, $3) WHERE bot_table = $1";
    static final String BACKFILLED = "UPDATE registry.adopted_tables SET backfilled_up_to = $2,"
            + " backfilled_at = CASE WHEN $3 THEN now() END WHERE bot_table = $1";
    static final String QUEUED = "SELECT count(*) FROM registry.legacy_writes";
    static final String FINISH = "SELECT registry.finish_adoption() AS bot_table";

    private final Pool pool;

    public AdoptionRepository(Pool pool) {
        this.pool = pool;
    }

    /** The bot tables found in {@code botSchema} and their shapes. */
    Uni<Map<String, String>> shapes(String botSchema) {
        return pool.preparedQuery(SHAPES).execute(Tuple.of(botSchema)).map(rows -> {
            Map<String, String> shapes = new java.util.LinkedHashMap<>();
            rows.forEach(row -> shapes.put(row.getString("bot_table"), row.getString("shape")));
            return shapes;
        });
    }

    /** Installs the table's capture (waiting at most a second for the bot's locks; 55P03 when it could not). */
    Uni<Boolean> adopt(String botTable, String shape) {
        return pool.withTransaction(connection -> connection.query("SET LOCAL lock_timeout = '1s'").execute()
                .chain(() -> connection.preparedQuery(ADOPT).execute(Tuple.of(botTable, shape)))
                .map(rows -> rows.iterator().next().getBoolean(0)));
    }

    Uni<List<AdoptedTable>> tables() {
        return pool.query(TABLES).execute().map(rows -> {
            List<AdoptedTable> tables = new ArrayList<>();
            rows.forEach(row -> tables.add(table(row)));
            return tables;
        });
    }

    /** Where the backfill of each unfinished table stands: table → last key copied (null: none yet). */
    Uni<List<Backfill>> pendingBackfills() {
        return pool.query(TABLES).execute().map(rows -> {
            List<Backfill> pending = new ArrayList<>();
            for (Row row : rows) {
                if (row.getOffsetDateTime("backfilled_at") == null && row.getOffsetDateTime("finished_at") == null) {
                    pending.add(new Backfill(row.getString("bot_table"), row.getString("shape"), row.getLong("backfilled_up_to")));
                }
            }
            return pending;
        });
    }

    record Backfill(String botTable, String shape, Long upTo) {
    }

    /** The next rows of a bot table in key order after {@code after}, as JSON (a plain read: takes no row lock). */
    Uni<List<JsonObject>> rowsAfter(String botTable, String keyColumn, long after, int limit) {
        // botTable comes from registry.adopted_tables, written by format('%I.%I'): already quoted
        String sql = "SELECT to_jsonb(b)::text AS row_data FROM " + botTable + " b WHERE b." + keyColumn + " > $1"
                + " ORDER BY b." + keyColumn + " LIMIT $2";
        return pool.preparedQuery(sql).execute(Tuple.of(after, limit)).map(rows -> {
            List<JsonObject> found = new ArrayList<>();
            rows.forEach(row -> found.add(new JsonObject(row.getString("row_data"))));
            return found;
        });
    }

    Uni<Void> backfilled(String botTable, long upTo, boolean done) {
        return pool.preparedQuery(BACKFILLED).execute(Tuple.of(botTable, upTo, done)).replaceWithVoid();
    }

    Uni<List<LegacyWrite>> nextWrites(int limit) {
        return pool.preparedQuery(NEXT_WRITES).execute(Tuple.of(limit)).map(rows -> {
            List<LegacyWrite> writes = new ArrayList<>();
            rows.forEach(row -> writes.add(new LegacyWrite(row.getLong("id"), row.getString("bot_table"),
                    row.getString("operation"), new JsonObject(row.getString("row_data")),
                    row.getOffsetDateTime("written_at").toInstant())));
            return writes;
        });
    }

    /** Removes applied writes (ids up to {@code lastId}) from the queue and counts them per table, in one transaction. */
    Uni<Void> applied(long lastId, Map<String, Counted> perTable) {
        return pool.withTransaction(connection -> {
            Uni<RowSet<Row>> chain = connection.preparedQuery(DELETE_WRITES).execute(Tuple.of(lastId));
            for (Map.Entry<String, Counted> entry : perTable.entrySet()) {
                chain = chain.chain(() -> connection.preparedQuery(COUNT_WRITES).execute(Tuple.of(entry.getKey(),
                        entry.getValue().count(), OffsetDateTime.ofInstant(entry.getValue().last(), java.time.ZoneOffset.UTC))));
            }
            return chain.replaceWithVoid();
        });
    }

    record Counted(long count, Instant last) {
    }

    Uni<Long> queued() {
        return pool.query(QUEUED).execute().map(rows -> rows.iterator().next().getLong(0));
    }

    /** Removes every capture trigger and the profile write-back; returns the tables finished now. */
    Uni<List<String>> finish() {
        return pool.query(FINISH).execute().map(rows -> {
            List<String> finished = new ArrayList<>();
            rows.forEach(row -> finished.add(row.getString("bot_table")));
            return finished;
        });
    }

    private static AdoptedTable table(Row row) {
        return new AdoptedTable(row.getString("bot_table"), row.getString("shape"), instant(row, "adopted_at"),
                instant(row, "backfilled_at"), row.getLong("legacy_writes"), instant(row, "last_legacy_write_at"),
                instant(row, "finished_at"));
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime at = row.getOffsetDateTime(column);
        return at == null ? null : at.toInstant();
    }
}
