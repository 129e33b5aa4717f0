package dev.tgregistry.users.user;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.tgregistry.users.profile.ProfileView;
import dev.tgregistry.users.web.Rows;
import io.vertx.mutiny.sqlclient.Row;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * {@code GET /api/users/{id}}: the user with their profile ({@code null} when none), bookings, latest 50 events and
 * free-lesson registrations.
 */
public record UserDetail(UserView user, ProfileView profile, List<Booking> bookings, List<Event> events,
                         List<FreeLesson> freeLessons) {

    public record Booking(long id, Integer courseId, String courseStream, Integer confirmed, Instant createdAt,
                          String referralCode, Integer discountPercent, Instant changedAt) {
        static Booking of(Row row) {
            return new Booking(row.getLong("id"), row.getInteger("course_id"), row.getString("course_stream"),
                    row.getInteger("confirmed"), Rows.instant(row, "created_at"), row.getString("referral_code"),
                    row.getInteger("discount_percent"), Rows.instant(row, "changed_at"));
        }
    }

    /** @param details the event's JSON object as stored */
    public record Event(long id, @JsonSerialize(using = ToStringSerializer.class) long userId, String eventType,
                        @JsonRawValue @Schema(type = SchemaType.OBJECT, description = "The event's details as stored (a JSON object)") String details, Instant createdAt) {
        static Event of(Row row) {
            return new Event(row.getLong("id"), row.getLong("user_id"), row.getString("event_type"),
                    row.getString("details"), Rows.instant(row, "created_at"));
        }
    }

    public record FreeLesson(long id, String email, String lessonType, LocalDate lessonDate, Instant registeredAt,
                             Boolean notificationSent) {
        static FreeLesson of(Row row) {
            return new FreeLesson(row.getLong("id"), row.getString("email"), row.getString("lesson_type"),
                    row.getLocalDate("lesson_date"), Rows.instant(row, "registered_at"), row.getBoolean("notification_sent"));
        }
    }
}
