package dev.tgregistry.users.booking;


import java.util.List;

/** {@code GET /api/users/{id}/bookings}, in the original dashboard's shape. */
public record UserBookings(boolean success, List<BookingView> bookings) {
}
