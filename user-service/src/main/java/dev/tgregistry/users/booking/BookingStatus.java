package dev.tgregistry.users.booking;

/**
 * The values of a booking's {@code confirmed} column, as the original dashboard numbered them (kept in the database
 * and the API), named for Java and the SQL text alike.
 */
public final class BookingStatus {
    public static final int CANCELLED = -1;
    /** Booked, nothing paid yet. */
    public static final int CREATED = 0;
    /** Payment proof uploaded, not yet checked. */
    public static final int PENDING = 1;
    /** Paid: the user is a student of the booking's course stream. */
    public static final int CONFIRMED = 2;

    private BookingStatus() {
    }
}
