package dev.tgregistry.users.coursestream;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.tgregistry.users.reachability.UserFlags;
import dev.tgregistry.users.web.DisplayName;
import io.vertx.mutiny.sqlclient.Row;

/** A confirmed student of a course stream. */
public record StreamStudent(
        @JsonSerialize(using = ToStringSerializer.class) long userId,
        @Schema(nullable = true) String username,
        @Schema(nullable = true) String firstName,
        String displayName,
        String courseStream,
        @Schema(description = "Has not blocked the bot") boolean isActive,
        @Schema(description = "A direct message can be delivered (seen in a private chat with the bot, not blocked since)") boolean reachableByDm) {

    static StreamStudent of(Row row) {
        long id = row.getLong("user_id");
        String username = row.getString("username");
        String firstName = row.getString("first_name");
        return new StreamStudent(id, username, firstName, DisplayName.of(id, username, firstName, row.getString("last_name")),
                row.getString("course_stream"), UserFlags.isActive(row), UserFlags.reachableByDm(row));
    }
}
