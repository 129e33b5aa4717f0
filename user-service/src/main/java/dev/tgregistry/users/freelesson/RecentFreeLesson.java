package dev.tgregistry.users.freelesson;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.tgregistry.users.web.DisplayName;
import dev.tgregistry.users.db.Rows;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;

/**
 * An item of {@code GET /api/free-lessons}. As in the original (its page depends on it): an empty name or email is
 * {@code "N/A"}, an empty lesson type {@code "Unknown"}, a missing lesson date {@code "N/A"}.
 */
public record RecentFreeLesson(long id, @JsonSerialize(using = ToStringSerializer.class) long userId, String username,
                               String firstName, String displayName, String email, @Schema(nullable = true) Instant registeredAt,
                               @Schema(nullable = true) Boolean notificationSent, String lessonType, String lessonDate) {
    static final String ABSENT = "N/A";

    static RecentFreeLesson of(Row row) {
        java.time.LocalDate lessonDate = row.getLocalDate("lesson_date");
        return new RecentFreeLesson(row.getLong("id"), row.getLong("user_id"), orElse(row.getString("username"), ABSENT),
                orElse(row.getString("first_name"), ABSENT), DisplayName.of(row), orElse(row.getString("email"), ABSENT),
                Rows.instant(row, "registered_at"), row.getBoolean("notification_sent"),
                orElse(row.getString("lesson_type"), "Unknown"), lessonDate == null ? ABSENT : lessonDate.toString());
    }

    private static String orElse(String value, String absent) {
        return value == null || value.isEmpty() ? absent : value;
    }
}
