package dev.tgregistry.model;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.time.LocalDate;

/** Topic {@value Topics#FREE_LESSONS}: a free-lesson registration row. Also the body of {@code POST /bot/free-lessons}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FreeLessonRegistered(
        Integer schemaVersion,
        @Schema(required = true) Long id,
        @Schema(required = true) Long userId,
        String username,
        String firstName,
        String email,
        String lessonType,
        LocalDate lessonDate,
        Instant registeredAt,
        Boolean notificationSent) implements RegistryRecord {

    public FreeLessonRegistered withDefaults(Instant receivedAt) {
        return new FreeLessonRegistered(SCHEMA_VERSION, id, userId, username, firstName, email,
                lessonType != null ? lessonType : "cursor_lesson", lessonDate,
                registeredAt != null ? registeredAt : receivedAt,
                notificationSent != null ? notificationSent : Boolean.FALSE);
    }

    @Override
    public String key() {
        return Long.toString(userId);
    }

    @Override
    public void validate() {
        Checks.schemaVersion(schemaVersion);
        Checks.positive("id", id);
        Checks.positive("user_id", userId);
        Checks.notNull("registered_at", registeredAt);
        RecordTimes.check("registered_at", registeredAt);
        RecordTimes.check("lesson_date", lessonDate);
        Checks.notBlank("email", email, 320);
        Checks.maxLength("username", username, TelegramUser.MAX_NAME);
        Checks.maxLength("first_name", firstName, TelegramUser.MAX_NAME);
        Checks.maxLength("lesson_type", lessonType, 50);
    }
}
