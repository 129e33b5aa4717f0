package dev.tgregistry.bench;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ceiling: the same sightings written straight into {@code users} and {@code user_name_history} by one JDBC
 * connection, batch by batch, each batch coalesced like user-service's {@code UserSnapshots} (one row per user,
 * sorted by id; the newest snapshot wins; one name-history row per name) and written in one transaction with the
 * equivalent of user-service's two statements ({@link CeilingSql}). No HTTP, no Kafka.
 */
final class CeilingWriter {

    /** How a batch reaches PostgreSQL. */
    enum Method { UNNEST, COPY }

    private record Row(long userId, Names.Person person, long first, long last) {
    }

    private CeilingWriter() {
    }

    /** Writes {@code s} in batches of {@code batch}; returns sightings/s. */
    static double write(Connection c, SteadyStream.Sighting[] s, int batch, Method method) throws SQLException, java.io.IOException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + CeilingSql.TEMP_USERS + ", " + CeilingSql.TEMP_NAMES);
            if (method == Method.COPY) {
                st.execute(CeilingSql.createTemp(CeilingSql.TEMP_USERS, CeilingSql.USER_COLUMNS, CeilingSql.USER_TYPES));
                st.execute(CeilingSql.createTemp(CeilingSql.TEMP_NAMES, CeilingSql.NAME_COLUMNS, CeilingSql.NAME_TYPES));
            }
        }
        c.commit();
        String usersSql = CeilingSql.upsertUsers(method == Method.COPY ? CeilingSql.fromTemp(CeilingSql.TEMP_USERS)
                : CeilingSql.unnest(CeilingSql.USER_TYPES));
        String namesSql = CeilingSql.recordNames(method == Method.COPY ? CeilingSql.fromTemp(CeilingSql.TEMP_NAMES)
                : CeilingSql.unnest(CeilingSql.NAME_TYPES));
        long t0 = System.nanoTime();
        try (PreparedStatement users = c.prepareStatement(usersSql); PreparedStatement names = c.prepareStatement(namesSql)) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (int from = 0; from < s.length; from += batch) {
                int to = Math.min(s.length, from + batch);
                Map<Long, Row> rows = new TreeMap<>();
                Map<List<Object>, Row> nameRows = new LinkedHashMap<>();
                for (int i = from; i < to; i++) {
                    coalesce(rows, nameRows, s[i]);
                }
                if (method == Method.COPY) {
                    copy.copyIn("COPY " + CeilingSql.TEMP_USERS + " FROM STDIN", new StringReader(userCopy(rows.values())));
                    copy.copyIn("COPY " + CeilingSql.TEMP_NAMES + " FROM STDIN", new StringReader(nameCopy(nameRows.values())));
                } else {
                    bindUsers(c, users, rows.values());
                    bindNames(c, names, nameRows.values());
                }
                users.executeUpdate();
                names.executeUpdate();
                c.commit();
            }
        }
        c.setAutoCommit(true);
        return s.length / ((System.nanoTime() - t0) / 1e9);
    }

    private static void coalesce(Map<Long, Row> rows, Map<List<Object>, Row> names, SteadyStream.Sighting s) {
        Row r = rows.get(s.userId());
        if (r == null) {
            rows.put(s.userId(), new Row(s.userId(), s.person(), s.date(), s.date()));
        } else {
            rows.put(s.userId(), new Row(s.userId(), s.date() >= r.last() ? s.person() : r.person(),
                    Math.min(r.first(), s.date()), Math.max(r.last(), s.date())));
        }
        Names.Person p = s.person();
        List<Object> key = List.of(s.userId(), orEmpty(p.username()), orEmpty(p.firstName()), orEmpty(p.lastName()));
        Row n = names.get(key);
        names.put(key, n == null ? new Row(s.userId(), p, s.date(), s.date())
                : new Row(s.userId(), p, Math.min(n.first(), s.date()), Math.max(n.last(), s.date())));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static void bindUsers(Connection c, PreparedStatement ps, java.util.Collection<Row> rows) throws SQLException {
        int n = rows.size();
        Object[][] cols = new Object[14][n];
        int i = 0;
        for (Row r : rows) {
            String last = iso(r.last());
            Object[] v = {r.userId(), r.person().username(), r.person().firstName(), r.person().lastName(), false, null,
                    last, r.person().languageCode(), r.person().languageCode() == null ? null : last, true, null,
                    iso(r.first()), last, iso(r.first())};
            for (int k = 0; k < 14; k++) {
                cols[k][i] = v[k];
            }
            i++;
        }
        for (int k = 0; k < 14; k++) {
            ps.setArray(k + 1, c.createArrayOf(CeilingSql.USER_TYPES[k], cols[k]));
        }
    }

    private static void bindNames(Connection c, PreparedStatement ps, java.util.Collection<Row> rows) throws SQLException {
        int n = rows.size();
        Object[][] cols = new Object[6][n];
        int i = 0;
        for (Row r : rows) {
            Object[] v = {r.userId(), r.person().username(), r.person().firstName(), r.person().lastName(), iso(r.first()), iso(r.last())};
            for (int k = 0; k < 6; k++) {
                cols[k][i] = v[k];
            }
            i++;
        }
        for (int k = 0; k < 6; k++) {
            ps.setArray(k + 1, c.createArrayOf(CeilingSql.NAME_TYPES[k], cols[k]));
        }
    }

    private static String userCopy(java.util.Collection<Row> rows) {
        StringBuilder sb = new StringBuilder(rows.size() * 200);
        for (Row r : rows) {
            String last = iso(r.last());
            Names.Person p = r.person();
            sb.append(r.userId()).append('\t');
            UsersWriter.copyText(sb, p.username()).append('\t');
            UsersWriter.copyText(sb, p.firstName()).append('\t');
            UsersWriter.copyText(sb, p.lastName()).append('\t').append("f\t\\N\t").append(last).append('\t');
            UsersWriter.copyText(sb, p.languageCode()).append('\t').append(p.languageCode() == null ? "\\N" : last).append("\tt\t\\N\t")
                    .append(iso(r.first())).append('\t').append(last).append('\t').append(iso(r.first())).append('\n');
        }
        return sb.toString();
    }

    private static String nameCopy(java.util.Collection<Row> rows) {
        StringBuilder sb = new StringBuilder(rows.size() * 120);
        for (Row r : rows) {
            Names.Person p = r.person();
            sb.append(r.userId()).append('\t');
            UsersWriter.copyText(sb, p.username()).append('\t');
            UsersWriter.copyText(sb, p.firstName()).append('\t');
            UsersWriter.copyText(sb, p.lastName()).append('\t').append(iso(r.first())).append('\t').append(iso(r.last())).append('\n');
        }
        return sb.toString();
    }

    private static String iso(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).toString();
    }

    /** Variant label, e.g. "unnest × 2000". */
    static String label(Method m, int batch) {
        return String.format(Locale.ROOT, "%s, batches of %,d", m == Method.COPY ? "COPY into temp table + INSERT … ON CONFLICT"
                : "unnest arrays + INSERT … ON CONFLICT", batch);
    }

    /**
     * Variants from {@code unnest:2000,copy:5000} (method and batch size each); blank = {@link #defaultVariants()}.
     */
    static List<int[]> parseVariants(String spec) {
        if (spec == null || spec.isBlank()) {
            return defaultVariants();
        }
        List<int[]> v = new ArrayList<>();
        for (String part : spec.split(",")) {
            String[] mb = part.trim().split(":");
            if (mb.length != 2) {
                throw new IllegalArgumentException("ceiling variant " + part + ": expected method:batch, e.g. unnest:2000");
            }
            Method m = Method.valueOf(mb[0].trim().toUpperCase(Locale.ROOT));
            v.add(new int[]{m.ordinal(), Integer.parseInt(mb[1].trim())});
        }
        return v;
    }

    static List<int[]> defaultVariants() {
        List<int[]> v = new ArrayList<>();
        v.add(new int[]{Method.UNNEST.ordinal(), 500});
        v.add(new int[]{Method.UNNEST.ordinal(), 2000});
        v.add(new int[]{Method.UNNEST.ordinal(), 5000});
        v.add(new int[]{Method.COPY.ordinal(), 2000});
        v.add(new int[]{Method.COPY.ordinal(), 5000});
        return v;
    }
}
