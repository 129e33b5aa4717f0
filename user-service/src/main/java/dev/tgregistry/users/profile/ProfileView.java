package dev.tgregistry.users.profile;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.time.Instant;

/**
 * The API's profile object; a field without a value is {@code null}, {@code attributes} is always an object.
 * {@code gradeYearText} is grade_year as written; {@code gradeYear} its number, or null when it is a word.
 */
public record ProfileView(
        @JsonSerialize(using = ToStringSerializer.class) long userId,
        @Schema(nullable = true) Boolean onboardingCompleted,
        @Schema(nullable = true) String realName,
        @Schema(nullable = true) String nickname,
        @Schema(nullable = true) String studyTrack,
        @Schema(nullable = true) String gradeBand,
        @Schema(nullable = true) Integer gradeYear,
        @Schema(nullable = true) String gradeYearText,
        @Schema(nullable = true) String phone,
        @Schema(nullable = true) Instant lastActivity,
        @JsonRawValue @Schema(type = SchemaType.OBJECT, additionalProperties = Schema.True.class,
                description = "The bot's own keys and values (a JSON object, {} when none)") String attributes,
        long version,
        @Schema(nullable = true) Instant createdAt,
        @Schema(nullable = true) Instant updatedAt) {

    public static ProfileView of(UserProfile profile) {
        return new ProfileView(profile.userId, profile.onboardingCompleted, profile.realName, profile.nickname,
                profile.studyTrack, profile.gradeBand, profile.gradeYear, profile.gradeYearText, profile.phone, profile.lastActivity,
                profile.attributes, profile.version, profile.createdAt, profile.updatedAt);
    }

    /** The strong entity tag of this version, e.g. {@code "3"}. */
    public String etag() {
        return "\"" + version + "\"";
    }
}
