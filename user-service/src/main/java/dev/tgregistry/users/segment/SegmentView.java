package dev.tgregistry.users.segment;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** A saved segment as the API shows it; its ETag is {@code version} in quotes. */
@Schema(name = "Segment")
public record SegmentView(long id, String name, SegmentFilter filter, int version, Instant createdAt, String createdBy,
                          Instant updatedAt, String updatedBy) {
    String etag() {
        return "\"" + version + "\"";
    }
}
