package dev.tgregistry.users.person;

import dev.tgregistry.users.reachability.ReachabilitySql;
import dev.tgregistry.users.web.DisplayName;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import dev.tgregistry.users.db.Rows;
import dev.tgregistry.users.reachability.ReachabilitySql;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;

/**
 * The API's user object. {@code user_id} is a JSON string: JavaScript numbers cannot hold every 64-bit id.
 * {@code reachable_by_dm}: the user has been seen in their private chat with the bot and has not blocked it since,
 * so a direct message can be delivered (a user only ever seen in groups, inline mode or inside others' updates is not).
 * {@code unreachable_reason} / {@code unreachable_at}: why and since when sending to the user fails (docs/API.md).
 */
public record UserView(
        @JsonSerialize(using = ToStringSerializer.class) long userId,
        @Schema(nullable = true, examples = "serejaris") String username,
        @Schema(nullable = true, examples = "Сергей") String firstName,
        @Schema(nullable = true) String lastName,
        @Schema(nullable = true, examples = "ru") String languageCode,
        @Schema(description = "@username, else first and last name, else User <id>", examples = "@serejaris") String displayName,
        boolean isActive,
        @Schema(nullable = true) Boolean isPremium,
        @Schema(nullable = true) Instant firstSeenAt,
        @Schema(nullable = true, examples = "2026-11-20T10:15:00.000Z") Instant lastSeenAt,
        boolean reachableByDm,
        @Schema(nullable = true, enumeration = {"blocked", "deactivated", "cant_initiate", "other"},
                description = "The class of the newest send failure not overtaken since; null when none") String unreachableReason,
        @Schema(nullable = true) Instant unreachableAt) {

    /** The columns {@link #of(Row)} reads, from {@code users u}. */
    public static final String COLUMNS = "u.user_id, u.username, u.first_name, u.last_name, u.language_code, "
            + ReachabilitySql.isActive("u") + " AS is_active, u.is_premium, u.first_seen_at, u.last_seen_at, "
            + ReachabilitySql.reachableByDm("u") + " AS reachable_by_dm, " + ReachabilitySql.unreachableReason("u")
            + " AS unreachable_reason, " + ReachabilitySql.unreachableAt("u") + " AS unreachable_at";

    public static UserView of(Row row) {
        return new UserView(row.getLong("user_id"), row.getString("username"), row.getString("first_name"),
                row.getString("last_name"), row.getString("language_code"), DisplayName.of(row), row.getBoolean("is_active"),
                row.getBoolean("is_premium"), Rows.instant(row, "first_seen_at"), Rows.instant(row, "last_seen_at"),
                row.getBoolean("reachable_by_dm"), row.getString("unreachable_reason"), Rows.instant(row, "unreachable_at"));
    }
}
