package dev.tgregistry.users.analytics;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Bookings of one stream of a course ({@code GET /api/course-streams}) by status, as {@link CourseStats}. */
@JsonPropertyOrder({"courseId", "courseName", "courseStream", "courseStreamRaw", "total", "confirmed", "pending", "cancelled", "created"})
public record CourseStreamStats(@JsonProperty("courseId") @Schema(nullable = true) Integer courseId,
                                @JsonProperty("courseName") String courseName,
                                @JsonProperty("courseStream") String courseStream,
                                @JsonProperty("courseStreamRaw") @Schema(nullable = true) String courseStreamRaw,
                                @JsonProperty("total") long total,
                                @JsonProperty("confirmed") long confirmed,
                                @JsonProperty("pending") long pending,
                                @JsonProperty("cancelled") long cancelled,
                                @JsonProperty("created") long created) {
}
