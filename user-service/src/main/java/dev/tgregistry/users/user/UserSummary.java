package dev.tgregistry.users.user;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.vertx.mutiny.sqlclient.Row;

/** The short user object of list endpoints (validate, non-course). */
public record UserSummary(
        @JsonSerialize(using = ToStringSerializer.class) long userId,
        @Schema(nullable = true) String username,
        @Schema(nullable = true) String firstName,
        String displayName,
        boolean isActive) {

    static UserSummary of(Row row) {
        return new UserSummary(row.getLong("user_id"), row.getString("username"), row.getString("first_name"),
                DisplayName.of(row), row.getBoolean("is_active"));
    }
}
