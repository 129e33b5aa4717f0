package dev.tgregistry.users.profile;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonRawValue;

import java.time.Instant;

/** An entry of {@code GET /api/users/{id}/profile/history}; values are JSON ({@code null}: no value). */
public record ProfileChangeView(String field, @JsonRawValue @Schema(nullable = true) String oldValue, @JsonRawValue @Schema(nullable = true) String newValue,
                                long version, Instant changedAt, String changedBy) {

    static ProfileChangeView of(ProfileChange change) {
        return new ProfileChangeView(change.field, change.oldValue, change.newValue, change.version, change.changedAt,
                change.changedBy);
    }
}
