package dev.tgregistry.bench.query;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.stack.Stack;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** What the query benchmark asks for, taken from the generated data: search strings, user ids, renamed users. */
public final class QuerySets {

    private final Stack stack;

    public QuerySets(Stack stack) {
        this.stack = stack;
    }

    /**
     * Search strings taken from the data: for 3, 4 and 6 characters a prefix and an inner substring (not at
     * position 0) of a username, first or last name of sampled users, and exact usernames. Only letters, digits and
     * '_' (what people type); Cyrillic and Persian included as they occur.
     */
    public Map<String, List<String>> searchQueries() throws SQLException {
        List<String> fields = new ArrayList<>();
        List<String> usernames = new ArrayList<>();
        try (Connection c = stack.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT username, first_name, last_name FROM users TABLESAMPLE BERNOULLI (1) REPEATABLE (42)")) {
            while (rs.next()) {
                for (int i = 1; i <= 3; i++) {
                    String v = rs.getString(i);
                    if (v != null) {
                        fields.add(v);
                        if (i == 1) {
                            usernames.add(v);
                        }
                    }
                }
            }
        }
        SplittableRandom r = new SplittableRandom(3);
        int per = 200;
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int len : new int[]{3, 4, 6}) {
            substrings(fields, len, per, r, out);
        }
        List<String> exact = new ArrayList<>(new LinkedHashSet<>(usernames));
        out.put("exact username", shuffle(exact.subList(0, Math.min(per, exact.size())), r));
        List<String> former = formerNames(per).stream().map(name -> name[1]).toList();
        if (!former.isEmpty()) {
            out.put("former username only", shuffle(former, r));
        }
        out.forEach((k, v) -> Bench.log("  queries " + k + ": " + v.size() + ", e.g. " + v.subList(0, Math.min(6, v.size()))));
        return out;
    }

    /** Up to {@code per} typeable prefixes and inner substrings of {@code len} code points, as two categories. */
    private static void substrings(List<String> fields, int len, int per, SplittableRandom r, Map<String, List<String>> out) {
        LinkedHashSet<String> prefixes = new LinkedHashSet<>();
        LinkedHashSet<String> inner = new LinkedHashSet<>();
        for (int tries = 0; tries < 200_000 && (prefixes.size() < per || inner.size() < per); tries++) {
            String f = fields.get(r.nextInt(fields.size()));
            int[] cps = f.codePoints().toArray();
            if (cps.length >= len && prefixes.size() < per) {
                String q = new String(cps, 0, len);
                if (typeable(q)) {
                    prefixes.add(q);
                }
            }
            if (cps.length >= len + 2 && inner.size() < per) {
                int start = 1 + r.nextInt(cps.length - len);
                String q = new String(cps, start, len);
                if (typeable(q)) {
                    inner.add(q);
                }
            }
        }
        out.put(len + " chars, prefix", shuffle(new ArrayList<>(prefixes), r));
        out.put(len + " chars, inner substring", shuffle(new ArrayList<>(inner), r));
    }

    /** {user_id, username} of former usernames of renamed users (GenerateData: "zz_was_..."), which nobody has now. */
    List<String[]> formerNames(int n) throws SQLException {
        List<String[]> names = new ArrayList<>();
        try (Connection c = stack.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT user_id, username FROM user_name_history WHERE username LIKE 'zz\\_was\\_%' "
                     + "ORDER BY md5(user_id::text) LIMIT " + n)) {
            while (rs.next()) {
                names.add(new String[]{Long.toString(rs.getLong(1)), rs.getString(2)});
            }
        }
        return names;
    }

    private static boolean typeable(String q) {
        return q.codePoints().allMatch(cp -> Character.isLetterOrDigit(cp) || cp == '_');
    }

    private static List<String> shuffle(List<String> l, SplittableRandom r) {
        List<String> copy = new ArrayList<>(l);
        for (int i = copy.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            String t = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, t);
        }
        return copy;
    }

    public List<Long> sampleIds(int n) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = stack.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT user_id FROM users TABLESAMPLE BERNOULLI (3) REPEATABLE (7) LIMIT " + n)) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** 20 bodies of 10,000 ids: 9,000 known users (random), 1,000 unknown ids. */
    static List<byte[]> validateBodies(List<Long> existing) {
        SplittableRandom r = new SplittableRandom(5);
        List<byte[]> bodies = new ArrayList<>();
        for (int b = 0; b < 20; b++) {
            StringBuilder sb = new StringBuilder("{\"user_ids\":[");
            for (int i = 0; i < 10_000; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                long id = i < 9_000 ? existing.get(r.nextInt(existing.size())) : 9_000_000_000L + r.nextInt(1_000_000_000);
                if (i % 2 == 0) {
                    sb.append('"').append(id).append('"'); // strings and numbers, as the dashboard sends either
                } else {
                    sb.append(id);
                }
            }
            bodies.add(sb.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        }
        return bodies;
    }
}
