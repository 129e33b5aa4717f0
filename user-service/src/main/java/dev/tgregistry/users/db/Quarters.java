package dev.tgregistry.users.db;

import java.time.Instant;

/** The buckets of the quarter-hour rollups (V10, V22): {@code date_bin('15 minutes', t, epoch)}. */
public final class Quarters {
    private static final long QUARTER_SECONDS = 900;

    private Quarters() {
    }

    /** The start of the quarter holding {@code at}. */
    public static Instant atOrBefore(Instant at) {
        return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), QUARTER_SECONDS) * QUARTER_SECONDS);
    }

    /** {@code at} when a quarter starts there, else the start of the next quarter. */
    public static Instant atOrAfter(Instant at) {
        Instant before = atOrBefore(at);
        return before.equals(at) ? at : before.plusSeconds(QUARTER_SECONDS);
    }
}
