package dev.tgregistry.users.stats;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vertx.mutiny.sqlclient.Row;

/** The dashboard header's totals, under the original dashboard's camelCase keys. */
public record Stats(@JsonProperty("totalUsers") long totalUsers,
                    @JsonProperty("activeBookings") long activeBookings,
                    @JsonProperty("confirmedPayments") long confirmedPayments,
                    @JsonProperty("freeLessonRegistrations") long freeLessonRegistrations) {

    static Stats of(Row row) {
        return new Stats(row.getLong("total_users"), row.getLong("active_bookings"),
                row.getLong("confirmed_payments"), row.getLong("free_lesson_registrations"));
    }
}
