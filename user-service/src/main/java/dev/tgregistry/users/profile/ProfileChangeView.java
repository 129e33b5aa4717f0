package dev.tgregistry.users.profile;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonRawValue;

import java.time.Instant;
import java.util.Map;

/** An entry of {@code GET /api/users/{id}/profile/history}; values are JSON ({@code null}: no value). */
public record ProfileChangeView(String field, @JsonRawValue @Schema(nullable = true, oneOf = {String.class, Boolean.class, Long.class, Map.class},
                                        description = VALUE) String oldValue,
                                @JsonRawValue @Schema(nullable = true, oneOf = {String.class, Boolean.class, Long.class, Map.class},
                                        description = VALUE) String newValue,
                                long version, Instant changedAt, String changedBy) {
    private static final String VALUE = "The field's value as JSON: a string, a boolean (onboarding_completed), an integer "
            + "(grade_year) or an object (attributes); null: no value";

    static ProfileChangeView of(ProfileChange change) {
        return new ProfileChangeView(change.field, change.oldValue, change.newValue, change.version, change.changedAt,
                change.changedBy);
    }
}
