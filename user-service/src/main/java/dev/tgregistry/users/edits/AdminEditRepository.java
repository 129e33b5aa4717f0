package dev.tgregistry.users.edits;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** Writes of {@code booking_admin_edits} made by a booking edit, inside the edit's transaction. */
@ApplicationScoped
class AdminEditRepository {
    static final String SUPERSEDE_PENDING = """
            UPDATE booking_admin_edits SET settled_at = now(), settled_by = 'superseded'
            WHERE booking_id = $1 AND field = $2 AND settled_at IS NULL
            """;
    static final String INSERT = """
            INSERT INTO booking_admin_edits (booking_id, user_id, field, value, previous_value, edited_at, key_id)
            VALUES ($1, $2, $3, $4, $5, now(), $6)
            RETURNING\s""" + AdminEdit.COLUMNS;

    /** Supersedes the field's pending edit of the booking and records the new one. */
    Uni<AdminEdit> replacePending(SqlConnection connection, long bookingId, long userId, AdminEdits.Change change, String keyId) {
        return connection.preparedQuery(SUPERSEDE_PENDING).execute(Tuple.of(bookingId, change.field()))
                .chain(() -> connection.preparedQuery(INSERT)
                        .execute(Tuple.of(bookingId, userId, change.field(), change.value(), change.previous(), keyId)))
                .map(rows -> AdminEdit.of(rows.iterator().next()));
    }
}
