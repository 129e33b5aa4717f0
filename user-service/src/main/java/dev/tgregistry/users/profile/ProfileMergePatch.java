package dev.tgregistry.users.profile;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/**
 * The body of {@code PATCH /api/users/{id}/profile} as documented: a JSON Merge Patch (RFC 7396) of
 * {@link ProfileView}'s writable members, every one optional, {@code null} removing it. {@link ProfilePatch} reads it
 * (absent and null differ, which a record cannot tell apart); {@code ProfileMergePatchTest} checks that the members
 * named here are the ones it accepts. Unknown members are refused (400): fields of your own go in {@code attributes},
 * which is open.
 */
@Schema(name = "ProfileMergePatch", additionalProperties = Schema.False.class)
public record ProfileMergePatch(
        @Schema(nullable = true) Boolean onboardingCompleted,
        @Schema(nullable = true, maxLength = ProfilePatch.MAX_TEXT) String realName,
        @Schema(nullable = true, maxLength = ProfilePatch.MAX_NICKNAME, description = "Unique, case-insensitively (409 when taken)",
                examples = "sereja") String nickname,
        @Schema(nullable = true, maxLength = ProfilePatch.MAX_TEXT, examples = "math") String studyTrack,
        @Schema(nullable = true, maxLength = ProfilePatch.MAX_TEXT) String gradeBand,
        @Schema(nullable = true, description = "A year as an integer, or as a string", oneOf = {Integer.class, String.class})
        Integer gradeYear,
        @Schema(nullable = true, maxLength = 64, description = "Normalised to E.164", examples = "+79991234567") String phone,
        @Schema(nullable = true, format = "date-time", description = "ISO-8601 with an offset, 1970..2100") String lastActivity,
        @Schema(nullable = true, description = "Merged key by key (RFC 7396); null removes all of them; at most 64 KiB",
                additionalProperties = Schema.True.class) Map<String, Object> attributes) {
}
