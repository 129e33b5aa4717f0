package dev.tgregistry.users.user;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The body of {@code POST /api/users/validate} as documented; {@link UserIds} reads it (strings or numbers). */
@Schema(name = "ValidateRequest")
public record ValidateRequest(
        @Schema(required = true, minItems = 1, maxItems = UserIds.MAX,
                description = "User ids to check, as strings (numbers are accepted too)") List<String> userIds) {
}
