package dev.tgregistry.users.analytics;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An item of the top events ({@code GET /api/events} without {@code type=recent|daily}), original camelCase keys. */
public record TopEvent(@JsonProperty("eventType") String eventType, @JsonProperty("count") long count) {
}
