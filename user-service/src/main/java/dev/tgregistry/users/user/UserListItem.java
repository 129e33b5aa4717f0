package dev.tgregistry.users.user;

import dev.tgregistry.users.web.DisplayName;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.time.Instant;

/**
 * A user as {@code GET /api/users/list} and the {@code user} of {@code GET /api/users/{id}} add it for the original
 * dashboard: names from users, else the newest booking's copy; {@code last_activity} is the newest sighting from
 * any source (users.last_seen_at).
 */
public record UserListItem(@JsonSerialize(using = ToStringSerializer.class) long userId, @Schema(nullable = true) String username, @Schema(nullable = true) String firstName,
                           String displayName, @Schema(nullable = true) Instant lastActivity, long totalBookings, long totalEvents,
                           long totalFreeLessons, @Schema(nullable = true) String latestStream, @Schema(nullable = true) Integer latestPaymentStatus) {

    static UserListItem of(long userId, String username, String firstName, String lastName, Instant lastSeenAt, UserTotals totals) {
        boolean nameless = username == null && firstName == null;
        String shownUsername = nameless ? totals.bookingUsername() : username;
        String shownFirstName = nameless ? totals.bookingFirstName() : firstName;
        return new UserListItem(userId, shownUsername, shownFirstName,
                DisplayName.of(userId, shownUsername, shownFirstName, nameless ? null : lastName), lastSeenAt,
                totals.totalBookings(), totals.totalEvents(), totals.totalFreeLessons(), totals.latestStream(),
                totals.latestPaymentStatus());
    }
}
