package dev.tgregistry.users.names;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.tgregistry.users.web.DisplayName;
import dev.tgregistry.users.db.Rows;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;

/**
 * A user who had the username asked for: the name they had with it ({@code username}, {@code first_name},
 * {@code last_name}; at the time asked for, if one was), when that name was first and last seen, and who the user
 * is now ({@code current_username}, {@code display_name}; {@code holds_it_now} when it is still their username).
 */
public record UsernameHolder(@JsonSerialize(using = ToStringSerializer.class) long userId, String username,
                             @Schema(nullable = true) String firstName, @Schema(nullable = true) String lastName, @Schema(nullable = true) Instant firstSeenAt, @Schema(nullable = true) Instant lastSeenAt,
                             boolean holdsItNow, @Schema(nullable = true) String currentUsername, String displayName) {
    static UsernameHolder of(Row row) {
        long id = row.getLong("user_id");
        String currentUsername = row.getString("current_username");
        return new UsernameHolder(id, row.getString("username"), row.getString("first_name"), row.getString("last_name"),
                Rows.instant(row, "first_seen_at"), Rows.instant(row, "last_seen_at"),
                row.getBoolean("holds_it_now"), currentUsername,
                DisplayName.of(id, currentUsername, row.getString("current_first_name"), row.getString("current_last_name")));
    }
}
