package dev.tgregistry.users.events;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.tgregistry.users.web.DisplayName;
import dev.tgregistry.users.db.Rows;
import io.vertx.mutiny.sqlclient.Row;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** An item of {@code GET /api/events?type=recent}; names come from {@code users}. */
public record RecentEvent(
        long id,
        @JsonSerialize(using = ToStringSerializer.class) long userId,
        @Schema(nullable = true) String username,
        @Schema(nullable = true) String firstName,
        String displayName,
        String eventType,
        Instant createdAt,
        @JsonRawValue @Schema(type = SchemaType.OBJECT, nullable = true, description = "The event's details as stored (a JSON object; null when the bot sent none)") String details) {

    static RecentEvent of(Row row) {
        return new RecentEvent(row.getLong("id"), row.getLong("user_id"), row.getString("username"),
                row.getString("first_name"), DisplayName.of(row),
                row.getString("event_type"), Rows.instant(row, "created_at"), row.getString("details"));
    }
}
