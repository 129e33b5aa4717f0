package dev.tgregistry.users.coursestream;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PATCH /api/users/{id}/stream} as documented; the resource reads it field by field. */
@Schema(name = "StreamMoveRequest")
public record StreamMoveRequest(
        @Schema(required = true, description = "Target course stream", examples = "5th_stream") String stream) {
}
