package dev.tgregistry.users.coursestream;

import dev.tgregistry.users.audience.KeysetCursor;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;

/**
 * Position in a stream's roster walk: the walk's as-of time (fixed by its first page) and the last row sent
 * (its created_at, null for a booking without one, and user id).
 */
record RosterCursor(Instant asOf, Instant createdAt, long userId) {
    private static final String LIST = "stream-students:";

    String encode(String stream) {
        return KeysetCursor.encode(LIST + stream, asOf, createdAt, userId);
    }

    /** The position after {@code cursor}, null for the first page; a cursor of another list or stream is a 400. */
    static RosterCursor decode(String stream, String cursor) {
        List<String> key = KeysetCursor.decode(LIST + stream, cursor, 3);
        if (key == null) {
            return null;
        }
        if (key.get(0) == null) {
            throw KeysetCursor.invalid();
        }
        return new RosterCursor(instant(key.get(0)), key.get(1) == null ? null : instant(key.get(1)), KeysetCursor.longPart(key, 2));
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeException malformed) {
            throw KeysetCursor.invalid();
        }
    }
}
