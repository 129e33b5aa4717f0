package dev.tgregistry.users.segment;

import dev.tgregistry.users.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;

/** SQL of the saved segments and their versions (rows as {@link StoredSegment}: the filter still as JSON text). */
@ApplicationScoped
public class SavedSegmentRepository {
    private static final String COLUMNS = "id, name, filter::text AS filter, version, created_at, created_by, updated_at, updated_by";
    static final String INSERT = "INSERT INTO segments (name, filter, version, created_at, created_by, updated_at, updated_by) "
            + "VALUES ($1, $2::text::jsonb, 1, $3, $4, $3, $4) RETURNING " + COLUMNS;
    static final String UPDATE = "UPDATE segments SET name = $2, filter = $3::text::jsonb, version = version + 1, updated_at = $4, "
            + "updated_by = $5 WHERE id = $1 RETURNING " + COLUMNS;
    static final String ADD_VERSION = "INSERT INTO segment_versions (segment_id, version, name, filter, changed_at, changed_by) "
            + "VALUES ($1, $2, $3, $4::text::jsonb, $5, $6)";
    static final String LOCK = "SELECT " + COLUMNS + " FROM segments WHERE id = $1 FOR UPDATE";
    static final String ONE = "SELECT " + COLUMNS + " FROM segments WHERE id = $1";
    static final String ALL = "SELECT " + COLUMNS + " FROM segments ORDER BY id";
    static final String VERSIONS = "SELECT version, name, filter::text AS filter, changed_at, changed_by FROM segment_versions "
            + "WHERE segment_id = $1 ORDER BY version DESC";
    static final String DELETE = "DELETE FROM segments WHERE id = $1";

    private final Pool pool;

    public SavedSegmentRepository(Pool pool) {
        this.pool = pool;
    }

    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }

    public Uni<StoredSegment> insert(SqlConnection tx, String name, String filterJson, Instant at, String by) {
        return tx.preparedQuery(INSERT).execute(Tuple.of(name, filterJson, utc(at), by)).map(rows -> StoredSegment.of(rows.iterator().next()));
    }

    public Uni<StoredSegment> update(SqlConnection tx, long id, String name, String filterJson, Instant at, String by) {
        return tx.preparedQuery(UPDATE).execute(Tuple.of(id, name, filterJson, utc(at), by))
                .map(rows -> StoredSegment.of(rows.iterator().next()));
    }

    /** Keeps the version {@code segment} is at (inside the transaction that made it). */
    public Uni<StoredSegment> addVersion(SqlConnection tx, StoredSegment segment) {
        return tx.preparedQuery(ADD_VERSION).execute(Tuple.tuple(List.of(segment.id(), segment.version(), segment.name(),
                segment.filterJson(), utc(segment.updatedAt()), segment.updatedBy()))).replaceWith(segment);
    }

    /** The segment, locked for an edit (null when there is none). */
    public Uni<StoredSegment> lock(SqlConnection tx, long id) {
        return tx.preparedQuery(LOCK).execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? null : StoredSegment.of(rows.iterator().next()));
    }

    public Uni<StoredSegment> find(long id) {
        return pool.preparedQuery(ONE).execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? null : StoredSegment.of(rows.iterator().next()));
    }

    public Uni<List<StoredSegment>> all() {
        return pool.preparedQuery(ALL).execute().map(rows -> Rows.map(rows, StoredSegment::of));
    }

    public Uni<List<StoredVersion>> versions(long id) {
        return pool.preparedQuery(VERSIONS).execute(Tuple.of(id)).map(rows -> Rows.map(rows, StoredVersion::of));
    }

    public Uni<Boolean> delete(long id) {
        return pool.preparedQuery(DELETE).execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
    }

    private static Object utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    /** A segments row. */
    public record StoredSegment(long id, String name, String filterJson, int version, Instant createdAt, String createdBy,
                                Instant updatedAt, String updatedBy) {
        static StoredSegment of(Row row) {
            return new StoredSegment(row.getLong("id"), row.getString("name"), row.getString("filter"), row.getInteger("version"),
                    Rows.instant(row, "created_at"), row.getString("created_by"), Rows.instant(row, "updated_at"),
                    row.getString("updated_by"));
        }
    }

    /** A segment_versions row. */
    public record StoredVersion(int version, String name, String filterJson, Instant changedAt, String changedBy) {
        static StoredVersion of(Row row) {
            return new StoredVersion(row.getInteger("version"), row.getString("name"), row.getString("filter"),
                    Rows.instant(row, "changed_at"), row.getString("changed_by"));
        }
    }
}
