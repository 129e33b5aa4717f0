package dev.tgregistry.users.analytics;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A day of {@code GET /api/user-growth}: users first seen up to the end of that day, and on that day. */
public record GrowthPoint(@JsonProperty("date") String date,
                          @JsonProperty("totalUsers") long totalUsers,
                          @JsonProperty("newUsers") long newUsers) {
}
