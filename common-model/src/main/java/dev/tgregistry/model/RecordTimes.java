package dev.tgregistry.model;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The times a record may carry. A time before Telegram's bot platform existed or well ahead of the clock is a bug
 * upstream, and stored it would win every "newest snapshot" comparison for good (a year-9999 sighting would freeze
 * that user's names and pin them to the top of the user list).
 */
public final class RecordTimes {
    /** Nothing a bot records predates 2013. */
    public static final Instant EARLIEST = Instant.parse("2013-01-01T00:00:00Z");
    /** Tolerated clock skew between the sender and us. */
    public static final Duration MAX_AHEAD = Duration.ofMinutes(5);
    /** Dates (lesson dates) may lie in the future, but not past this one. */
    public static final LocalDate LATEST_DATE = LocalDate.of(2100, 12, 31);

    private RecordTimes() {
    }

    public static boolean isPlausible(Instant at, Instant now) {
        return !at.isBefore(EARLIEST) && !at.isAfter(now.plus(MAX_AHEAD));
    }

    /** The time itself if plausible, else {@code receivedAt}: how a Telegram update's odd date is normalised. */
    public static Instant plausibleOr(Instant at, Instant receivedAt) {
        return isPlausible(at, receivedAt) ? at : receivedAt;
    }

    static void check(String field, Instant at) {
        if (at != null && !isPlausible(at, Instant.now())) {
            throw new ContractViolation(field, "must lie between " + EARLIEST + " and " + MAX_AHEAD.toMinutes()
                    + " minutes from now (got " + at + ")");
        }
    }

    static void check(String field, LocalDate date) {
        if (date != null && (date.isBefore(LocalDate.of(2013, 1, 1)) || date.isAfter(LATEST_DATE))) {
            throw new ContractViolation(field, "must lie between 2013-01-01 and " + LATEST_DATE + " (got " + date + ")");
        }
    }
}
