package dev.tgregistry.users.search;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Map;

/**
 * {@code GET /api/users/search?stats=true}: what the original's search cache reported, computed fresh from the
 * database (there is no cache): {@code initialized} is always true and {@code lastUpdate} is now.
 *
 * @param indexSize   distinct first letters of the users' usernames (else first names), the original's buckets
 * @param streamStats confirmed users per stream (every configured stream and every stream in bookings)
 */
public record SearchStats(@JsonProperty("totalUsers") long totalUsers,
                          @JsonProperty("indexSize") long indexSize,
                          @JsonProperty("streamCacheSize") int streamCacheSize,
                          @JsonProperty("streamStats") Map<String, Long> streamStats,
                          @JsonProperty("nonCourseUsers") long nonCourseUsers,
                          @JsonProperty("hackathonUsers") long hackathonUsers,
                          @JsonProperty("initialized") boolean initialized,
                          @JsonProperty("lastUpdate") Instant lastUpdate) {
}
