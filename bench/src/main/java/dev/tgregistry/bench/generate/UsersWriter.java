package dev.tgregistry.bench.generate;

import dev.tgregistry.bench.Bench;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes the generated users (COPY from Java: realistic names from {@link Names}, first/last seen skewed over the
 * 60 days before {@code now}) and their name history; also COPY's text format for other bulk loaders.
 */
final class UsersWriter {

    private UsersWriter() {
    }

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSxxx");

    static void copy(Connection c, long users, Instant now) throws SQLException, IOException {
        Bench.log(String.format(Locale.ROOT, "  users: COPY %,d rows", users));
        Names names = new Names(7);
        SplittableRandom r = new SplittableRandom(11);
        long nowMs = now.toEpochMilli();
        long span = Duration.ofDays(60).toMillis();
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                "COPY users (user_id, username, first_name, last_name, language_code, is_bot, is_premium, snapshot_at,"
                        + " language_at, is_active, active_changed_at, first_seen_at, last_seen_at, updated_at) FROM STDIN");
        StringBuilder sb = new StringBuilder(1 << 20);
        try {
            for (long i = 0; i < users; i++) {
                Names.Person p = names.storedUser();
                long first = nowMs - (long) (r.nextDouble() * span);
                double v = r.nextDouble();
                long last = nowMs - (long) ((nowMs - first) * v * v); // skewed towards recent activity
                boolean nameless = p.firstName() == null && p.username() == null;
                boolean inactive = r.nextInt(100) < 6;
                sb.append(GenerateData.userId(i)).append('\t');
                copyText(sb, p.username()).append('\t');
                copyText(sb, p.firstName()).append('\t');
                copyText(sb, p.lastName()).append('\t');
                copyText(sb, p.languageCode()).append('\t');
                sb.append(nameless ? "\\N" : "f").append('\t');
                sb.append(nameless ? "\\N" : (r.nextInt(100) < 5 ? "t" : "f")).append('\t');
                time(sb, nameless ? -1 : last).append('\t');
                time(sb, p.languageCode() == null ? -1 : last).append('\t');
                sb.append(inactive ? "f" : "t").append('\t');
                time(sb, inactive ? last : -1).append('\t');
                time(sb, first).append('\t');
                time(sb, last).append('\t');
                time(sb, last).append('\n');
                if (sb.length() > (1 << 20) - 4096) {
                    byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(b, 0, b.length);
                    sb.setLength(0);
                }
            }
            byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(b, 0, b.length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** {@code s} as a field of COPY's text format ({@code \N} for null). */
    static StringBuilder copyText(StringBuilder sb, String s) {
        if (s == null) {
            return sb.append("\\N");
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(ch);
            }
        }
        return sb;
    }

    private static StringBuilder time(StringBuilder sb, long epochMs) {
        if (epochMs < 0) {
            return sb.append("\\N");
        }
        return sb.append(TS.format(OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC)));
    }

    /** Every user's current names as history, and for 1% of them a former username. */
    static void nameHistory(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO user_name_history (user_id, username, first_name, last_name, first_seen_at) "
                    + "SELECT user_id, username, first_name, last_name, first_seen_at FROM users "
                    + "WHERE username IS NOT NULL OR first_name IS NOT NULL");
            // 1% of users renamed themselves a month before they were first seen: searches and lookups by a
            // former username ("zz_was_" + 10 hex digits, which no current username has)
            st.execute("INSERT INTO user_name_history (user_id, username, first_name, last_name, first_seen_at) "
                    + "SELECT user_id, 'zz_was_' || left(md5(user_id::text), 10), first_name, last_name, "
                    + "first_seen_at - interval '30 days' FROM users WHERE user_id % 100 = 7");
        }
    }
}
