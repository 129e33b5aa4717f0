package dev.tgregistry.bench.report;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a fault scenario's stream got acknowledged (202), and how much of it the database shows. A sighting is
 * visible when its user's {@code last_seen_at} has reached the sighting's date; an event when a row with its
 * {@code event_id} exists. Duplicated effects: event rows above one per {@code event_id}, and name-history rows
 * above one per user (the stream never renames anybody).
 */
public final class Ledger {

    /** The outcome of one check. */
    public record Result(long acknowledged, long visible, long duplicated) {
        public long missing() {
            return acknowledged - visible;
        }
    }

    /**
     * docs/API.md "Times of sightings are kept to the minute": a repeat sighting less than a minute newer than the
     * stored {@code last_seen_at} is not written, so it is reflected once {@code last_seen_at} is within a minute of
     * it (one second more for the epoch rounding of the check).
     */
    static final long SIGHTING_GRANULARITY_SECONDS = 60;

    private final Map<Long, List<Long>> sightingDates = new HashMap<>();
    private final Set<String> events = new HashSet<>();
    private long acknowledged;

    public synchronized void sightings(List<Long> users, long dateSeconds) {
        for (long u : users) {
            sightingDates.computeIfAbsent(u, k -> new ArrayList<>()).add(dateSeconds);
        }
        acknowledged += users.size();
    }

    public synchronized void events(List<String> eventIds) {
        for (String id : eventIds) {
            if (events.add(id)) {
                acknowledged++;
            }
        }
    }

    synchronized long acknowledged() {
        return acknowledged;
    }

    public synchronized Set<String> userKeys() {
        Set<String> keys = new HashSet<>();
        sightingDates.keySet().forEach(u -> keys.add(Long.toString(u)));
        return keys;
    }

    public synchronized Result check(Connection c) throws SQLException {
        long visible = 0;
        long duplicated = 0;
        Long[] users = sightingDates.keySet().toArray(new Long[0]);
        Map<Long, Long> lastSeen = new HashMap<>();
        Map<Long, Long> historyRows = new HashMap<>();
        Array userArray = c.createArrayOf("bigint", users);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT user_id, extract(epoch FROM last_seen_at)::bigint FROM users WHERE user_id = ANY(?)")) {
            ps.setArray(1, userArray);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lastSeen.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT user_id, count(*) FROM user_name_history WHERE user_id = ANY(?) GROUP BY user_id")) {
            ps.setArray(1, userArray);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    historyRows.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        for (Map.Entry<Long, List<Long>> e : sightingDates.entrySet()) {
            Long seen = lastSeen.get(e.getKey());
            if (seen != null) {
                for (long date : e.getValue()) {
                    if (date - seen <= SIGHTING_GRANULARITY_SECONDS) {
                        visible++;
                    }
                }
            }
            duplicated += Math.max(0, historyRows.getOrDefault(e.getKey(), 0L) - 1);
        }
        if (!events.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT event_id, count(*) FROM events WHERE event_id = ANY(?) GROUP BY event_id")) {
                ps.setArray(1, c.createArrayOf("text", events.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        visible++;
                        duplicated += rs.getLong(2) - 1;
                    }
                }
            }
        }
        return new Result(acknowledged, visible, duplicated);
    }
}
