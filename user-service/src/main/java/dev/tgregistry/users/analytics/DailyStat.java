package dev.tgregistry.users.analytics;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A day of {@code GET /api/events?type=daily}: users first seen, bookings created and events that day. */
public record DailyStat(@JsonProperty("date") String date,
                        @JsonProperty("newUsers") long newUsers,
                        @JsonProperty("bookings") long bookings,
                        @JsonProperty("events") long events) {
}
