package dev.tgregistry.users.events;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.tgregistry.users.user.DisplayName;
import dev.tgregistry.users.web.Rows;
import io.vertx.mutiny.sqlclient.Row;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** An item of {@code GET /api/events?type=recent}; names come from {@code users}. */
public record RecentEvent(
        long id,
        @JsonSerialize(using = ToStringSerializer.class) long userId,
        String username,
        String firstName,
        String displayName,
        String eventType,
        Instant createdAt,
        @JsonRawValue @Schema(type = SchemaType.OBJECT, description = "The event's details as stored (a JSON object)") String details) {

    static RecentEvent of(Row row) {
        long userId = row.getLong("user_id");
        String username = row.getString("username");
        String firstName = row.getString("first_name");
        return new RecentEvent(row.getLong("id"), userId, username, firstName,
                DisplayName.of(userId, username, firstName, row.getString("last_name")),
                row.getString("event_type"), Rows.instant(row, "created_at"), row.getString("details"));
    }
}
