package dev.tgregistry.users.user;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.tgregistry.users.reachability.RecipientStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/users/validate}: which recipients exist ({@code users} row) and which of those blocked the bot
 * (the original dashboard's members), and per requested id what a message would meet ({@code statuses}, in request
 * order, duplicates once) with how many ids have each status ({@code status_counts}).
 */
public record Validation(
        List<UserSummary> validUsers,
        @JsonSerialize(contentUsing = ToStringSerializer.class) List<Long> invalidUserIds,
        @JsonSerialize(contentUsing = ToStringSerializer.class) List<Long> inactiveUserIds,
        int validCount,
        int invalidCount,
        @Schema(description = "Per requested user id (a string of digits): unknown, blocked, deactivated, not_reachable_by_dm or ok")
        Map<String, RecipientStatus> statuses,
        @Schema(description = "How many distinct requested ids have each status")
        StatusCounts statusCounts) {

    public record StatusCounts(int unknown, int blocked, int deactivated, int notReachableByDm, int ok) {
        static StatusCounts of(Map<RecipientStatus, Integer> counts) {
            return new StatusCounts(counts.getOrDefault(RecipientStatus.UNKNOWN, 0), counts.getOrDefault(RecipientStatus.BLOCKED, 0),
                    counts.getOrDefault(RecipientStatus.DEACTIVATED, 0), counts.getOrDefault(RecipientStatus.NOT_REACHABLE_BY_DM, 0),
                    counts.getOrDefault(RecipientStatus.OK, 0));
        }
    }
}
