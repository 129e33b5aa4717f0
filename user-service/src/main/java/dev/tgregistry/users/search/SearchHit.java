package dev.tgregistry.users.search;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.tgregistry.users.user.DisplayName;
import io.vertx.mutiny.sqlclient.Row;

/** One search result. */
public record SearchHit(
        @JsonSerialize(using = ToStringSerializer.class) long userId,
        String username,
        String firstName,
        String lastName,
        String displayName,
        boolean isActive) {

    static SearchHit of(Row row) {
        long id = row.getLong("user_id");
        String username = row.getString("username");
        String firstName = row.getString("first_name");
        String lastName = row.getString("last_name");
        return new SearchHit(id, username, firstName, lastName, DisplayName.of(id, username, firstName, lastName),
                row.getBoolean("is_active"));
    }
}
