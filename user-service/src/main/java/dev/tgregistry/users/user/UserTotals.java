package dev.tgregistry.users.user;

import io.vertx.mutiny.sqlclient.Row;

/**
 * What the original dashboard showed next to a user: row counts per table and the newest booking's stream and
 * status (cancelled included; null without a booking), plus that booking's copy of the names (a fallback).
 */
public record UserTotals(long totalBookings, long totalEvents, long totalFreeLessons, String latestStream,
                         Integer latestPaymentStatus, String bookingUsername, String bookingFirstName) {
    static final UserTotals NONE = new UserTotals(0, 0, 0, null, null, null, null);

    static UserTotals of(Row row) {
        return new UserTotals(row.getLong("total_bookings"), row.getLong("total_events"), row.getLong("total_free_lessons"),
                row.getString("latest_stream"), row.getInteger("latest_payment_status"),
                row.getString("booking_username"), row.getString("booking_first_name"));
    }
}
