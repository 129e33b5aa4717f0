package dev.tgregistry.users.user;

import dev.tgregistry.users.web.DisplayName;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.tgregistry.users.reachability.UserFlags;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The short user object of list endpoints (validate, non-course). {@code is_active}: has not blocked the bot;
 * {@code reachable_by_dm}: a direct message can be delivered (docs/API.md).
 */
public record UserSummary(
        @JsonSerialize(using = ToStringSerializer.class) long userId,
        @Schema(nullable = true) String username,
        @Schema(nullable = true) String firstName,
        String displayName,
        boolean isActive,
        boolean reachableByDm) {

    /** The columns {@link #of} reads besides the names, from users row {@code u}. */
    static final String FLAGS = UserFlags.COLUMNS;

    static UserSummary of(Row row) {
        return new UserSummary(row.getLong("user_id"), row.getString("username"), row.getString("first_name"),
                DisplayName.of(row), row.getBoolean("is_active"), row.getBoolean("reachable_by_dm"));
    }
}
