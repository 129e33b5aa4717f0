// Over 350 lines: the 1M-user / 10M-event data generator, one SQL phase per table. Splitting the benchmarks by phase, with one shared report writer, is issue 15's
// planned step ("Benchmarks split by phase"); it was left for that issue so as not to collide with this session's merges.
package dev.tgregistry.bench;

import dev.tgregistry.localstack.Util;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fills a PostgreSQL data directory with a dashboard-sized data set on user-service's own schema (its Flyway
 * migrations, run from user-service/src/main/resources/db/migration): users with realistic Latin/Cyrillic/Persian
 * names (COPY from Java), events, bookings and free-lesson registrations (generate_series inside PostgreSQL), then
 * user-service's query indexes (migration V3) and VACUUM ANALYZE. A marker file makes later runs reuse the data.
 *
 * <p>User ids are {@code 100000000 + 6007 * i} for i in [0, users): deterministic, so the SQL generators can pick
 * users without a lookup, and most of them above 2^32 like real Telegram ids. Activity is skewed: the user of an
 * event is {@code floor(users * u^2)} for a uniform u, so a few thousand users are very active and most are not.
 * All times lie in the 60 days before the generation; data older than two days is regenerated (the dashboard's
 * windows end "now").
 */
public final class GenerateData {

    static final String USAGE = String.join("\n",
            "usage: bench/run generate [options]",
            "  --root DIR            repository root (default .)",
            "  --data-dir DIR        where the database lives (default bench/target/bench-data)",
            "  --users N             (default 1000000)",
            "  --events N            (default 10000000)",
            "  --bookings N          (default 50000)",
            "  --registrations N     free-lesson registrations (default 100000)",
            "  --force               regenerate even if the data dir holds matching data");

    static final long ID_BASE = 100_000_000L;
    static final long ID_STEP = 6007L;
    static final String MARKER = "generated.properties";
    static final Duration MAX_AGE = Duration.ofDays(2);

    static final String[] STREAMS = {"3rd_stream", "4th_stream", "5th_stream", "6th_stream", "7th_stream", "8th_stream", "mentoring"};

    /** Sizes of the data set. */
    record Params(long users, long events, long bookings, long registrations) {
        Map<String, String> asMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("users", Long.toString(users));
            m.put("events", Long.toString(events));
            m.put("bookings", Long.toString(bookings));
            m.put("registrations", Long.toString(registrations));
            return m;
        }
    }

    private GenerateData() {
    }

    public static void main(String[] args) throws Exception {
        Bench.Args a = new Bench.Args(args, USAGE, "force");
        Path root = Path.of(a.string("root", ".")).toAbsolutePath().normalize();
        Path dataDir = root.resolve(a.string("data-dir", "bench/target/bench-data")).toAbsolutePath().normalize();
        Params p = params(a);
        boolean force = a.flag("force");
        a.done();
        Stack.requirePortsFree(55432);
        ensure(root, dataDir, p, force);
        System.exit(0);
    }

    static Params params(Bench.Args a) {
        return new Params(a.number("users", 1_000_000), a.number("events", 10_000_000), a.number("bookings", 50_000),
                a.number("registrations", 100_000));
    }

    static long userId(long index) {
        return ID_BASE + ID_STEP * index;
    }

    /** Generates unless {@code dataDir} already holds data of these sizes, younger than two days. Returns the marker. */
    static Properties ensure(Path root, Path dataDir, Params p, boolean force) throws Exception {
        Path marker = dataDir.resolve(MARKER);
        if (!force && Files.isRegularFile(marker)) {
            Properties m = new Properties();
            try (InputStream in = Files.newInputStream(marker)) {
                m.load(in);
            }
            boolean same = p.asMap().entrySet().stream().allMatch(e -> e.getValue().equals(m.getProperty(e.getKey())));
            boolean sameSchema = migrationsFingerprint(root).equals(m.getProperty("migrations"));
            Instant at = Instant.parse(m.getProperty("generated_at", "1970-01-01T00:00:00Z"));
            Duration age = Duration.between(at, Instant.now());
            if (same && sameSchema && age.compareTo(MAX_AGE) < 0) {
                Bench.log("reusing the data in " + dataDir + " (generated " + at + ", " + age.toHours() + " h ago; --force to regenerate)");
                return m;
            }
            Bench.log(!same ? "data in " + dataDir + " has other sizes: regenerating"
                    : !sameSchema ? "user-service's migrations changed since " + dataDir + " was generated: regenerating"
                    : "data in " + dataDir + " is " + age.toHours() + " h old: regenerating (time windows end now)");
        }
        if (Files.exists(dataDir)) {
            Util.deleteRecursively(dataDir);
        }
        Files.createDirectories(dataDir);
        Properties m = generate(root, dataDir, p);
        try (OutputStream out = Files.newOutputStream(marker)) {
            m.store(out, "bench/run generate: the data set in postgres/ next to this file");
        }
        return m;
    }

    private static Properties generate(Path root, Path dataDir, Params p) throws Exception {
        long t0 = System.nanoTime();
        Map<String, String> loadSettings = new LinkedHashMap<>();
        // bulk-load settings for this start only; the benchmark restarts with LocalPostgres' defaults
        loadSettings.put("max_wal_size", "8GB");
        loadSettings.put("checkpoint_timeout", "30min");
        loadSettings.put("maintenance_work_mem", "512MB");
        loadSettings.put("synchronous_commit", "off");
        loadSettings.put("autovacuum", "off");
        Properties marker = new Properties();
        Map<String, Double> timings = new LinkedHashMap<>();
        Instant now = Instant.now();
        try (Stack stack = new Stack(root, dataDir.resolve("logs"), null)) {
            stack.startPostgres(dataDir.resolve("postgres"), loadSettings);
            String url = stack.postgres().jdbcUrl();
            Path migrations = root.resolve("user-service/src/main/resources/db/migration");
            if (!Files.isDirectory(migrations)) {
                throw new IllegalStateException(migrations + " not found (--root must be the repository root)");
            }
            long s = System.nanoTime();
            migrate(url, migrations, "2");
            List<String> deferred;
            try (Connection c = stack.connect()) {
                deferred = dropSecondaryIndexes(c, "users", "events", "user_name_history");
            }
            timings.put("schema V1-V2 (Flyway)", secs(s));

            s = System.nanoTime();
            try (Connection c = stack.connect()) {
                copyUsers(c, p.users(), now);
            }
            timings.put("users (COPY)", secs(s));

            s = System.nanoTime();
            try (Connection c = stack.connect(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO user_name_history (user_id, username, first_name, last_name, first_seen_at) "
                        + "SELECT user_id, username, first_name, last_name, first_seen_at FROM users "
                        + "WHERE username IS NOT NULL OR first_name IS NOT NULL");
                // 1% of users renamed themselves a month before they were first seen: searches and lookups by a
                // former username ("zz_was_" + 10 hex digits, which no current username has)
                st.execute("INSERT INTO user_name_history (user_id, username, first_name, last_name, first_seen_at) "
                        + "SELECT user_id, 'zz_was_' || left(md5(user_id::text), 10), first_name, last_name, "
                        + "first_seen_at - interval '30 days' FROM users WHERE user_id % 100 = 7");
            }
            timings.put("user_name_history", secs(s));

            s = System.nanoTime();
            insertEvents(stack, p, now);
            timings.put("events (generate_series, 2 sessions)", secs(s));

            s = System.nanoTime();
            try (Connection c = stack.connect()) {
                insertBookings(c, p, now);
                insertRegistrations(c, p, now);
            }
            timings.put("bookings + registrations", secs(s));

            s = System.nanoTime();
            try (Connection c = stack.connect(); Statement st = c.createStatement()) {
                for (String ddl : deferred) {
                    Bench.log("  " + ddl);
                    st.execute(ddl);
                }
            }
            migrate(url, migrations, null);
            timings.put("indexes + remaining migrations (V3 indexes, V4 users backfill, ...)", secs(s));

            s = System.nanoTime();
            try (Connection c = stack.connect(); Statement st = c.createStatement()) {
                Bench.log("  VACUUM ANALYZE");
                st.execute("VACUUM ANALYZE");
                // A database-wide pass right after the migrations has been seen to leave the visibility map of
                // users (rewritten by V5) empty — index-only scans then fetch every row from the table, which is
                // not the state autovacuum keeps a live database in. A second pass sets it.
                st.execute("VACUUM");
                try (ResultSet rs = st.executeQuery("SELECT string_agg(relname || ' ' || round(100.0 * relallvisible"
                        + " / greatest(relpages, 1)) || '%', ', ' ORDER BY relname) FROM pg_class"
                        + " WHERE relname IN ('users', 'events', 'bookings', 'free_lesson_registrations')")) {
                    rs.next();
                    Bench.log("  pages all-visible: " + rs.getString(1));
                }
                try (ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM events),"
                        + " (SELECT count(*) FROM bookings), (SELECT count(*) FROM free_lesson_registrations),"
                        + " pg_size_pretty(pg_database_size(current_database()))")) {
                    rs.next();
                    marker.setProperty("rows.users", rs.getString(1));
                    marker.setProperty("rows.events", rs.getString(2));
                    marker.setProperty("rows.bookings", rs.getString(3));
                    marker.setProperty("rows.free_lesson_registrations", rs.getString(4));
                    marker.setProperty("database_size", rs.getString(5));
                }
            }
            timings.put("VACUUM ANALYZE", secs(s));
        }
        p.asMap().forEach(marker::setProperty);
        marker.setProperty("migrations", migrationsFingerprint(root));
        marker.setProperty("generated_at", now.toString());
        double total = secs(t0);
        marker.setProperty("generation_seconds", String.format(Locale.ROOT, "%.0f", total));
        StringBuilder sb = new StringBuilder();
        timings.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "; ").append(k).append(String.format(Locale.ROOT, " %.0f s", v)));
        marker.setProperty("generation_steps", sb.toString());
        Bench.log(String.format(Locale.ROOT, "generated in %.0f s (%s): %s users, %s events, %s bookings, %s registrations, %s",
                total, sb, marker.getProperty("rows.users"), marker.getProperty("rows.events"), marker.getProperty("rows.bookings"),
                marker.getProperty("rows.free_lesson_registrations"), marker.getProperty("database_size")));
        return marker;
    }

    /** SHA-256 over the names and contents of user-service's migration files: data made with others is stale. */
    static String migrationsFingerprint(Path root) throws IOException {
        Path dir = root.resolve("user-service/src/main/resources/db/migration");
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            List<Path> files;
            try (var stream = Files.list(dir)) {
                files = stream.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                md.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(f));
            }
            return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double secs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** user-service's migrations with the settings its application.properties gives Quarkus' Flyway. */
    static void migrate(String url, Path migrations, String target) {
        Bench.log("  Flyway migrate" + (target == null ? "" : " up to V" + target) + " from " + migrations);
        var config = Flyway.configure()
                .dataSource(url, "postgres", "postgres")
                .locations("filesystem:" + migrations)
                .placeholders(Map.of("legacy_time_zone", "UTC"))
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .validateOnMigrate(true);
        if (target != null) {
            config.target(target);
        }
        config.load().migrate();
    }

    /** Drops every index that is not a primary key and returns the statements that recreate them as they were. */
    static List<String> dropSecondaryIndexes(Connection c, String... tables) throws SQLException {
        List<String> ddl = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                + "FROM pg_index i WHERE i.indrelid = ?::regclass AND NOT i.indisprimary");
             Statement st = c.createStatement()) {
            for (String t : tables) {
                ps.setString(1, t);
                List<String[]> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(new String[]{rs.getString(1), rs.getString(2)});
                    }
                }
                for (String[] f : found) {
                    st.execute("DROP INDEX " + f[0]);
                    ddl.add(f[1]);
                }
            }
        }
        return ddl;
    }

    // ------------------------------------------------------------------------------------------ users

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSxxx");

    static void copyUsers(Connection c, long users, Instant now) throws SQLException, IOException {
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
                sb.append(userId(i)).append('\t');
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

    // ------------------------------------------------------------------------------------------ SQL generators

    /** A random user id, skewed: {@code floor(users * random()^power)}. */
    private static String skewedUser(long users, double power) {
        return String.format(Locale.ROOT, "(%d + %d * least(floor(%d * power(random(), %s)), %d)::bigint)",
                ID_BASE, ID_STEP, users, power, users - 1);
    }

    private static final String EVENTS_SQL = """
            INSERT INTO events (user_id, event_type, details, created_at)
            SELECT uid,
                   CASE WHEN t < 0.10 THEN 'start_command' WHEN t < 0.32 THEN 'view_program'
                        WHEN t < 0.50 THEN 'lesson_link_clicked' WHEN t < 0.60 THEN 'view_price'
                        WHEN t < 0.68 THEN 'view_schedule' WHEN t < 0.73 THEN 'free_lesson_signup'
                        WHEN t < 0.79 THEN 'faq_opened' WHEN t < 0.85 THEN 'contact_admin'
                        WHEN t < 0.95 THEN 'free_lesson_reminder_sent' WHEN t < 0.985 THEN 'booking_status_changed'
                        ELSE 'payment_approved' END,
                   CASE WHEN t < 0.10 THEN jsonb_build_object('source', (ARRAY['organic','ads_tg','ads_vk','referral','youtube'])[1 + g %% 5])
                        WHEN t < 0.32 THEN jsonb_build_object('course_id', 1 + g %% 3)
                        WHEN t < 0.50 THEN jsonb_build_object('lesson', 1 + g %% 8, 'url', 'https://example.com/lessons/' || (1 + g %% 8))
                        WHEN t < 0.60 THEN jsonb_build_object('course_id', 1 + g %% 3, 'currency', 'RUB')
                        WHEN t < 0.68 THEN jsonb_build_object('stream', '8th_stream')
                        WHEN t < 0.73 THEN jsonb_build_object('lesson_type', 'cursor_lesson')
                        WHEN t < 0.79 THEN jsonb_build_object('question', 1 + g %% 12)
                        WHEN t < 0.85 THEN '{}'::jsonb
                        WHEN t < 0.95 THEN jsonb_build_object('lesson_type', 'cursor_lesson', 'hours_before', 24)
                        WHEN t < 0.985 THEN jsonb_build_object('booking_id', 1 + g %% 50000, 'confirmed', 1 + g %% 2)
                        ELSE jsonb_build_object('booking_id', 1 + g %% 50000, 'amount', 29900) END,
                   ?::timestamptz - c * interval '60 days'
            FROM (SELECT g, %s AS uid, random() AS t, random() AS c FROM generate_series(?::bigint, ?::bigint) g) s
            """;

    private static void insertEvents(Stack stack, Params p, Instant now) throws Exception {
        int sessions = 2;
        long perSession = p.events() / sessions;
        Bench.log(String.format(Locale.ROOT, "  events: %,d rows from generate_series in %d sessions", p.events(), sessions));
        String sql = EVENTS_SQL.formatted(skewedUser(p.users(), 2));
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < sessions; w++) {
                long from = w * perSession + 1;
                long to = w == sessions - 1 ? p.events() : (w + 1) * perSession;
                fs.add(pool.submit(() -> {
                    // chunks keep each statement's snapshot and memory small; progress is visible in the log
                    long chunk = 1_000_000;
                    try (Connection c = stack.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
                        for (long a = from; a <= to; a += chunk) {
                            ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                            ps.setLong(2, a);
                            ps.setLong(3, Math.min(to, a + chunk - 1));
                            ps.executeUpdate();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void insertBookings(Connection c, Params p, Instant now) throws SQLException {
        Bench.log(String.format(Locale.ROOT, "  bookings: %,d rows", p.bookings()));
        StringBuilder streams = new StringBuilder("ARRAY[");
        for (int i = 0; i < STREAMS.length; i++) {
            streams.append(i == 0 ? "" : ",").append('\'').append(STREAMS[i]).append('\'');
        }
        streams.append(']');
        String sql = """
                INSERT INTO bookings (user_id, username, first_name, course_id, confirmed, created_at, referral_code,
                                      discount_percent, course_stream, changed_at)
                SELECT u.user_id, u.username, u.first_name, 1 + s.k %% 3,
                       CASE WHEN s.r < 0.10 THEN -1 WHEN s.r < 0.35 THEN 0 WHEN s.r < 0.50 THEN 1 ELSE 2 END,
                       ?::timestamptz - s.c * interval '60 days',
                       CASE WHEN s.k %% 10 = 0 THEN 'FRIEND' || (s.k %% 50) END,
                       CASE WHEN s.k %% 10 = 0 THEN 20 ELSE 0 END,
                       (%s)[1 + least(floor(s.st * %d), %d)::int],
                       ?::timestamptz - s.c * interval '60 days' + s.r * interval '1 day'
                FROM (SELECT g AS k, %s AS uid, random() AS r, random() AS c, random() AS st
                      FROM generate_series(1, ?::bigint) g) s
                JOIN users u ON u.user_id = s.uid
                """.formatted(streams, STREAMS.length, STREAMS.length - 1, skewedUser(p.users(), 1.5));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setLong(3, p.bookings());
            ps.executeUpdate();
        }
    }

    private static void insertRegistrations(Connection c, Params p, Instant now) throws SQLException {
        Bench.log(String.format(Locale.ROOT, "  free_lesson_registrations: %,d rows", p.registrations()));
        String sql = """
                INSERT INTO free_lesson_registrations (user_id, username, first_name, email, registered_at,
                                                       notification_sent, lesson_type, lesson_date)
                SELECT u.user_id, u.username, u.first_name,
                       COALESCE(lower(u.username), 'user' || u.user_id) || CASE WHEN s.k %% 10 = 0 THEN '.work' ELSE '' END
                           || '@' || (ARRAY['gmail.com','yandex.ru','mail.ru','outlook.com','proton.me'])[1 + s.k %% 5],
                       ?::timestamptz - s.c * interval '60 days', s.k %% 4 <> 0,
                       (ARRAY['cursor_lesson','intro_to_python','ai_agents'])[1 + s.k %% 3],
                       ((?::timestamptz - s.c * interval '60 days') AT TIME ZONE 'UTC')::date + 3
                FROM (SELECT g AS k, %s AS uid, random() AS c FROM generate_series(?::bigint, ?::bigint) g) s
                JOIN users u ON u.user_id = s.uid
                ON CONFLICT DO NOTHING
                """.formatted(skewedUser(p.users(), 1.3));
        long have = 0;
        long next = 1;
        for (int round = 0; round < 20 && have < p.registrations(); round++) {
            long want = p.registrations() - have;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                ps.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                ps.setLong(3, next);
                ps.setLong(4, next + want - 1);
                have += ps.executeUpdate();
                next += want;
            }
        }
    }
}
