package dev.tgregistry.users.user;

import dev.tgregistry.users.person.UserView;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.tgregistry.users.booking.BookingView;
import dev.tgregistry.users.profile.ProfileView;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * {@code GET /api/users/{id}}: the user with their profile ({@code null} when none), bookings, latest 50 events and
 * free-lesson registrations. The
 * original dashboard also reads {@code success} and {@code freeLessons} (camelCase), and the user's totals.
 * ({@code free_lessons} is named explicitly: a camelCase alias of an implicitly named property would be merged into it.)
 */
public record UserDetail(UserWithTotals user, @Schema(nullable = true) ProfileView profile, List<BookingView> bookings, List<Event> events,
                         @JsonProperty("free_lessons") List<FreeLesson> freeLessons) {

    @JsonProperty("success")
    public boolean success() {
        return true;
    }

    @JsonProperty("freeLessons")
    public List<FreeLesson> freeLessonsForDashboard() {
        return freeLessons;
    }

    /** The API's user object plus what the original dashboard showed with it ({@link UserTotals}). */
    public record UserWithTotals(@JsonUnwrapped UserView view, @Schema(nullable = true) Instant lastActivity, long totalBookings, long totalEvents,
                          long totalFreeLessons, @Schema(nullable = true) String latestStream, @Schema(nullable = true) Integer latestPaymentStatus) {
        static UserWithTotals of(UserView view, UserTotals totals) {
            return new UserWithTotals(view, view.lastSeenAt(), totals.totalBookings(), totals.totalEvents(), totals.totalFreeLessons(),
                    totals.latestStream(), totals.latestPaymentStatus());
        }
    }

    /** @param details the event's JSON object as stored */
    public record Event(long id, @JsonSerialize(using = ToStringSerializer.class) long userId, String eventType,
                        @JsonRawValue @Schema(type = SchemaType.OBJECT, nullable = true, description = "The event's details as stored (a JSON object; null when the bot sent none)")
                        String details, Instant createdAt) {
    }

    public record FreeLesson(long id, @JsonSerialize(using = ToStringSerializer.class) long userId, @Schema(nullable = true) String email,
                             @Schema(nullable = true) String lessonType, @Schema(nullable = true) LocalDate lessonDate, @Schema(nullable = true) Instant registeredAt, @Schema(nullable = true) Boolean notificationSent) {
    }
}
