package dev.tgregistry.users.segment;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of POST /api/segments and PUT /api/segments/{id}. */
@Schema(name = "SegmentRequest")
public record SegmentRequest(
        @Schema(required = true, maxLength = SegmentRequest.MAX_NAME, examples = "Grade 11, math track, onboarded") String name,
        @Schema(required = true) SegmentFilter filter) {
    static final int MAX_NAME = 100;
}
