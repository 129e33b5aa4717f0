package dev.tgregistry.users.leads;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.tgregistry.users.reachability.UserFlags;
import dev.tgregistry.users.web.DisplayName;
import dev.tgregistry.users.db.Rows;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;

/** One lead of {@code GET /api/user-activity}. */
public record LeadActivity(
        @JsonSerialize(using = ToStringSerializer.class) long userId,
        @Schema(nullable = true) String username,
        @Schema(nullable = true) String firstName,
        String displayName,
        @Schema(nullable = true) String email,
        long totalEvents,
        long activeDays,
        @Schema(nullable = true) Instant lastActivity,
        String leadScore,
        @Schema(description = "Has not blocked the bot") boolean isActive,
        @Schema(description = "A direct message can be delivered (seen in a private chat with the bot, not blocked since)") boolean reachableByDm) {

    static LeadActivity of(Row row) {
        return new LeadActivity(row.getLong("user_id"), row.getString("username"), row.getString("first_name"), DisplayName.of(row),
                row.getString("email"), row.getLong("total_events"), row.getLong("active_days"),
                Rows.instant(row, "last_activity"), row.getString("lead_score"), UserFlags.isActive(row), UserFlags.reachableByDm(row));
    }
}
