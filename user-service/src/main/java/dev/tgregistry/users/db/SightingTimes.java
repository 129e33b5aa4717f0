package dev.tgregistry.users.db;

/** How finely the registry keeps the times of a user's sightings (the consumers' writers and reachability's). */
public final class SightingTimes {
    /**
     * Times of a user's sightings are kept to within this step: a sighting that changes nothing else and is less
     * than a step newer than what is stored is not written (no new row version, no index entries, no row lock).
     * Returning users are the normal case; without this every message of theirs rewrote every index of users.
     */
    public static final String STEP = "interval '1 minute'";

    private SightingTimes() {
    }
}
