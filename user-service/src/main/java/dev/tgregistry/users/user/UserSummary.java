package dev.tgregistry.users.user;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.vertx.mutiny.sqlclient.Row;

/** The short user object of list endpoints (validate, non-course). */
public record UserSummary(
        @JsonSerialize(using = ToStringSerializer.class) long userId,
        String username,
        String firstName,
        String displayName,
        boolean isActive) {

    static UserSummary of(Row row) {
        long id = row.getLong("user_id");
        String username = row.getString("username");
        String firstName = row.getString("first_name");
        return new UserSummary(id, username, firstName,
                DisplayName.of(id, username, firstName, row.getString("last_name")), row.getBoolean("is_active"));
    }
}
