package dev.tgregistry.users.stats;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The dashboard header's totals, under the original dashboard's camelCase keys (the first four are the original's).
 * "Today" is the caller's local day ({@code tz}); {@code newUsersLast7Days} includes today.
 */
public record Stats(@JsonProperty("totalUsers") long totalUsers,
                    @JsonProperty("activeBookings") long activeBookings,
                    @JsonProperty("confirmedPayments") long confirmedPayments,
                    @JsonProperty("freeLessonRegistrations") long freeLessonRegistrations,
                    @JsonProperty("newUsersToday") long newUsersToday,
                    @JsonProperty("newUsersLast7Days") long newUsersLast7Days,
                    @JsonProperty("usersSeenToday") long usersSeenToday,
                    @JsonProperty("activeUsers") long activeUsers,
                    @JsonProperty("blockedUsers") long blockedUsers,
                    @JsonProperty("unreachable_reasons") UnreachableReasons unreachableReasons) {

    /**
     * Users per current reason they cannot be messaged (docs/API.md "stats"). {@code blocked + deactivated} is
     * {@code blockedUsers} (not active); {@code cant_initiate} and {@code other} users are active.
     */
    public record UnreachableReasons(long blocked, long deactivated, long cantInitiate, long other) {
    }

    static Stats of(Row row) {
        long total = row.getLong("total_users");
        long blocked = row.getLong("blocked_users");
        long deactivated = row.getLong("deactivated_users");
        return new Stats(total, row.getLong("active_bookings"), row.getLong("confirmed_payments"),
                row.getLong("free_lesson_registrations"), row.getLong("new_users_today"),
                row.getLong("new_users_last_7_days"), row.getLong("users_seen_today"), total - blocked, blocked,
                new UnreachableReasons(blocked - deactivated, deactivated, row.getLong("cant_initiate_users"),
                        row.getLong("other_failure_users")));
    }
}
