package dev.tgregistry.users.coursestream;

import dev.tgregistry.users.audience.KeysetCursor;

import java.time.Instant;
import java.util.List;

/**
 * Position in a stream's roster walk: the walk's as-of time (fixed by its first page) and the last row sent
 * (its created_at, null for a booking without one, and user id).
 */
record RosterCursor(Instant asOf, Instant createdAt, long userId) {
    private static final String LIST = "stream-students:";

    String encode(KeysetCursor cursors, String stream) {
        return cursors.encode(LIST + stream, asOf, createdAt, userId);
    }

    /** The position after {@code cursor}, null for the first page; a cursor of another list or stream is a 400. */
    static RosterCursor decode(KeysetCursor cursors, String stream, String cursor) {
        List<String> key = cursors.decode(LIST + stream, cursor, 3);
        if (key == null) {
            return null;
        }
        return new RosterCursor(cursors.pinnedInstant(key, 0), KeysetCursor.instantPart(key, 1), KeysetCursor.longPart(key, 2));
    }
}
