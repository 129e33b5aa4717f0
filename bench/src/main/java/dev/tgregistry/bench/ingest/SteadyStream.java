package dev.tgregistry.bench.ingest;

import dev.tgregistry.bench.generate.Names;
import dev.tgregistry.bench.generate.Zipf;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.UserSeen;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Sightings of returning users with a Zipf skew and ~1% renames (bench/README.md, "bench/run ingest", (e)). A rename
 * drawn for a user already seen in the same logical second goes to a user not seen in it: the registry keeps the
 * first of two snapshots of equal date arriving in different batches, so a same-second rename would not show.
 */
final class SteadyStream {

    /** One sighting: who, with which names, when (epoch seconds). */
    record Sighting(long userId, Names.Person person, long date) {
    }

    /** A preloaded user and the names stored for it. */
    record Known(long userId, Names.Person person) {
    }

    private final List<Known> byRank;
    private final Zipf zipf;
    private final double changeShare;
    private final SplittableRandom random;
    private final Names renames = new Names(99);
    private final Map<Long, Names.Person> current = new HashMap<>();
    private final Map<Long, Long> lastDate = new HashMap<>();
    private final Map<Long, Names.Person> changed = new HashMap<>();
    private int changes;

    SteadyStream(List<Known> known, double s, double changeShare, long seed) {
        random = new SplittableRandom(seed);
        List<Known> shuffled = new ArrayList<>(known);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Known t = shuffled.get(i);
            shuffled.set(i, shuffled.get(j));
            shuffled.set(j, t);
        }
        byRank = shuffled;
        zipf = new Zipf(known.size(), s);
        this.changeShare = changeShare;
        known.forEach(k -> current.put(k.userId(), k.person()));
    }

    /** The {@code n} users with a first name and the lowest ids, with their stored names. */
    static List<Known> load(Connection c, int n) throws SQLException {
        List<Known> known = new ArrayList<>(n);
        try (PreparedStatement ps = c.prepareStatement("SELECT user_id, username, first_name, last_name, language_code"
                + " FROM users WHERE first_name IS NOT NULL ORDER BY user_id LIMIT ?")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    known.add(new Known(rs.getLong(1), new Names.Person(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5))));
                }
            }
        }
        return known;
    }

    /** The next {@code count} sightings, dated from {@code startSecond} on at {@code logicalRate} per second. */
    Sighting[] next(int count, long startSecond, int logicalRate) {
        Sighting[] out = new Sighting[count];
        for (int i = 0; i < count; i++) {
            Known k = byRank.get(zipf.next(random) - 1);
            long date = startSecond + i / logicalRate;
            boolean change = random.nextDouble() < changeShare;
            // a rename of a user already seen in this second goes to a user who was not (uniformly drawn)
            for (int tries = 0; change && date <= lastDate.getOrDefault(k.userId(), Long.MIN_VALUE); tries++) {
                if (tries == 50) {
                    change = false;
                } else {
                    k = byRank.get(random.nextInt(byRank.size()));
                }
            }
            long id = k.userId();
            Names.Person p = current.get(id);
            if (change) {
                p = random.nextBoolean()
                        ? new Names.Person(p.username(), other(p.firstName()), p.lastName(), p.languageCode())
                        : new Names.Person("renamed_" + id + "_" + changes, p.firstName(), p.lastName(), p.languageCode());
                current.put(id, p);
                changed.put(id, p);
                changes++;
            }
            lastDate.merge(id, date, Math::max);
            out[i] = new Sighting(id, p, date);
        }
        return out;
    }

    private String other(String firstName) {
        String n;
        do {
            n = renames.telegramUser().firstName();
        } while (n == null || n.equals(firstName));
        return n;
    }

    int changes() {
        return changes;
    }

    /** The newest date any sighting so far carried. */
    long lastDate() {
        return lastDate.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** How many renamed users do not show their newest first name and username in {@code users}; 0 = all do. */
    int mismatchedRenames(Connection c) throws SQLException {
        if (changed.isEmpty()) {
            return 0;
        }
        Map<Long, Names.Person> stored = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT user_id, username, first_name FROM users WHERE user_id = ANY(?)")) {
            Array ids = c.createArrayOf("bigint", changed.keySet().toArray());
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.put(rs.getLong(1), new Names.Person(rs.getString(2), rs.getString(3), null, null));
                }
            }
        }
        int bad = 0;
        for (Map.Entry<Long, Names.Person> e : changed.entrySet()) {
            Names.Person s = stored.get(e.getKey());
            if (s == null || !Objects.equals(s.username(), e.getValue().username())
                    || !Objects.equals(s.firstName(), e.getValue().firstName())) {
                bad++;
            }
        }
        return bad;
    }

    /**
     * Users of {@code sightings} whose newest sighting is not in {@code users} (0 = none lost): last seen missing, or
     * a minute or more older than the newest date sent (sighting times are stored to the minute, docs/API.md: a
     * sighting under a minute newer than the stored one is not written).
     */
    static int lostSightings(Connection c, Sighting[] sightings) throws SQLException {
        Map<Long, Long> newest = new HashMap<>();
        for (Sighting s : sightings) {
            newest.merge(s.userId(), s.date(), Math::max);
        }
        Long[] ids = newest.keySet().toArray(new Long[0]);
        Long[] dates = new Long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            dates[i] = newest.get(ids[i]);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM unnest(?::bigint[], ?::bigint[]) AS s(id, at)"
                + " LEFT JOIN users u ON u.user_id = s.id"
                + " WHERE u.last_seen_at IS NULL OR u.last_seen_at <= to_timestamp(s.at) - interval '1 minute'")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            ps.setArray(2, c.createArrayOf("bigint", dates));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    int renamedUsers() {
        return changed.size();
    }

    /** Telegram updates (private-chat messages) for {@code s[from, to)} as one JSON array. */
    static byte[] body(Sighting[] s, int from, int to, long firstUpdateId) {
        StringBuilder sb = new StringBuilder((to - from) * 360).append('[');
        for (int i = from; i < to; i++) {
            if (i > from) {
                sb.append(',');
            }
            Updates.message(sb, firstUpdateId + i - from, s[i].userId(), s[i].person(), s[i].date(), "/start");
        }
        return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The record bot-ingest publishes for such an update (same contract class and JSON mapping). */
    static String record(Sighting s, long updateId) {
        return RecordJson.write(seen(s, updateId));
    }

    /** The sighting as bot-ingest reads it from a private-chat message. */
    static UserSeen seen(Sighting s, long updateId) {
        Names.Person p = s.person();
        TelegramUser user = new TelegramUser(s.userId(), false, p.username(), p.firstName(), p.lastName(), p.languageCode(), null);
        return UserSeen.of(user, Instant.ofEpochSecond(s.date()), new UserSeen.Source(updateId, "message"), null,
                UserSeen.VIA_PRIVATE_CHAT);
    }

    /** Sightings of new users {@code firstUserId, firstUserId + 1, ...} (the cold kind). */
    static Sighting[] cold(Names names, long firstUserId, int count, long date) {
        Sighting[] out = new Sighting[count];
        for (int i = 0; i < count; i++) {
            out[i] = new Sighting(firstUserId + i, names.telegramUser(), date);
        }
        return out;
    }
}
