package dev.tgregistry.users.booking;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PATCH /api/users/{id}/stream} as documented; the resource reads it field by field. */
@Schema(name = "StreamMoveRequest")
public record StreamMoveRequest(
        @Schema(description = "Target course stream (stream or newStream is required; stream wins)", examples = "5th_stream") String stream,
        @JsonProperty("newStream") @Schema(description = "The original dashboard's name of stream (a compatibility alias)")
        String newStream) {
}
