package dev.tgregistry.users.segment;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** One version of a saved segment: its name and filter from {@code changed_at} until the next version. */
@Schema(name = "SegmentVersion")
public record SegmentVersionView(int version, String name, SegmentFilter filter, Instant changedAt, String changedBy) {
}
