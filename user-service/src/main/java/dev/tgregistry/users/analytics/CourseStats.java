package dev.tgregistry.users.analytics;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Bookings of a course ({@code GET /api/courses}) by status, under the original's camelCase keys: confirmed = 2,
 * pending = 1 (payment proof uploaded), cancelled = -1, created = 0 (not in the original, which counted it only
 * in total); total = all, including a NULL status.
 */
@JsonPropertyOrder({"courseId", "courseName", "total", "confirmed", "pending", "cancelled", "created"})
public record CourseStats(@JsonProperty("courseId") @Schema(nullable = true) Integer courseId,
                          @JsonProperty("courseName") String courseName,
                          @JsonProperty("total") long total,
                          @JsonProperty("confirmed") long confirmed,
                          @JsonProperty("pending") long pending,
                          @JsonProperty("cancelled") long cancelled,
                          @JsonProperty("created") long created) {
}
