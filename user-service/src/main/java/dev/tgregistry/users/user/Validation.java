package dev.tgregistry.users.user;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.util.List;

/** {@code POST /api/users/validate}: which recipients exist ({@code users} row) and which of those blocked the bot. */
public record Validation(
        List<UserSummary> validUsers,
        @JsonSerialize(contentUsing = ToStringSerializer.class) List<Long> invalidUserIds,
        @JsonSerialize(contentUsing = ToStringSerializer.class) List<Long> inactiveUserIds,
        int validCount,
        int invalidCount) {
}
