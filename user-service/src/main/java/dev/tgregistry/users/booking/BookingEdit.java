package dev.tgregistry.users.booking;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.util.List;

/**
 * Result of {@code PATCH /api/users/{id}/bookings}: the original's {@code success} and {@code message}, plus which
 * booking was edited and which fields actually changed (a field set to its current value is not an edit).
 */
public record BookingEdit(boolean success, String message, long bookingId,
                          @JsonSerialize(using = ToStringSerializer.class) long userId, List<String> changedFields) {

    static BookingEdit of(long bookingId, long userId, List<String> changedFields) {
        return new BookingEdit(true, "Booking updated successfully", bookingId, userId, changedFields);
    }
}
