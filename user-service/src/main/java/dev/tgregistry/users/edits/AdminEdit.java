package dev.tgregistry.users.edits;

import dev.tgregistry.users.db.Rows;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;

/**
 * A row of {@code booking_admin_edits}: one field of a booking set by an admin. It is the audit row, the outbox
 * entry of topic registry.admin-edits.v1 and, while not settled, the registry's claim on that field.
 *
 * @param value the admin's value as text; null = cleared
 */
public record AdminEdit(long id, long bookingId, long userId, String field, String value, Instant editedAt, String keyId) {
    static final String COLUMNS = "id, booking_id, user_id, field, value, edited_at, key_id";

    static AdminEdit of(Row row) {
        return new AdminEdit(row.getLong("id"), row.getLong("booking_id"), row.getLong("user_id"), row.getString("field"),
                row.getString("value"), Rows.instant(row, "edited_at"), row.getString("key_id"));
    }
}
