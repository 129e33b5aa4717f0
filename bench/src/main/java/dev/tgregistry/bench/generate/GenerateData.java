package dev.tgregistry.bench.generate;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.stack.Stack;
import dev.tgregistry.localstack.Util;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Fills a PostgreSQL data directory with a dashboard-sized data set on user-service's own schema, reused while it
 * is current: bench/README.md, "bench/run query" (Data). User ids are {@code 100000000 + 6007 * i}: deterministic,
 * so the SQL generators can pick users without a lookup.
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
            "  --profile-share PCT   share of users with a bot profile (user_profiles), in percent (default 30)",
            "  --force               regenerate even if the data dir holds matching data");

    static final long ID_BASE = 100_000_000L;
    static final long ID_STEP = 6007L;
    static final String MARKER = "generated.properties";
    static final Duration MAX_AGE = Duration.ofDays(2);

    public static final String[] STREAMS = {"3rd_stream", "4th_stream", "5th_stream", "6th_stream", "7th_stream", "8th_stream", "mentoring"};

    /** Sizes of the data set. */
    public record Params(long users, long events, long bookings, long registrations, long profileShare) {
        Map<String, String> asMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("users", Long.toString(users));
            m.put("events", Long.toString(events));
            m.put("bookings", Long.toString(bookings));
            m.put("registrations", Long.toString(registrations));
            m.put("profile_share", Long.toString(profileShare));
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

    public static Params params(Bench.Args a) {
        return new Params(a.number("users", 1_000_000), a.number("events", 10_000_000), a.number("bookings", 50_000),
                a.number("registrations", 100_000), a.number("profile-share", 30));
    }

    static long userId(long index) {
        return ID_BASE + ID_STEP * index;
    }

    /** Generates unless {@code dataDir} already holds data of these sizes, younger than two days. Returns the marker. */
    public static Properties ensure(Path root, Path dataDir, Params p, boolean force) throws Exception {
        Path marker = dataDir.resolve(MARKER);
        if (!force && Files.isRegularFile(marker)) {
            Properties m = new Properties();
            try (InputStream in = Files.newInputStream(marker)) {
                m.load(in);
            }
            boolean same = p.asMap().entrySet().stream().allMatch(e -> e.getValue().equals(m.getProperty(e.getKey())));
            String unknown = DataSchema.unknownHere(root, m.getProperty("migration_files", ""));
            if (!unknown.isEmpty()) {
                // data another branch migrated (or generated) would be deleted: several checkouts may share one data dir
                throw new IllegalStateException("the data in " + dataDir + " holds migrations this checkout does not have as"
                        + " they were (" + unknown + "): pass another --data-dir, or --force to regenerate it here");
            }
            boolean sameSchema = DataSchema.migrationFiles(root).equals(m.getProperty("migration_files"));
            Instant at = Instant.parse(m.getProperty("generated_at", "1970-01-01T00:00:00Z"));
            Duration age = Duration.between(at, Instant.now());
            if (same && sameSchema && age.compareTo(MAX_AGE) < 0) {
                Bench.log("reusing the data in " + dataDir + " (generated " + at + ", " + age.toHours() + " h ago; --force to regenerate)");
                return m;
            }
            if (same && age.compareTo(MAX_AGE) < 0 && DataSchema.onlyAdded(root, m.getProperty("migration_files", ""))) {
                migrateForward(root, dataDir, m);
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

    /** One timed step of the generation. */
    private interface Step {
        void run() throws Exception;
    }

    private static void timed(Map<String, Double> timings, String name, Step step) throws Exception {
        long s = System.nanoTime();
        step.run();
        timings.put(name, secs(s));
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
            List<String> deferred = schema(stack, url, migrations, timings);
            timed(timings, "users (COPY)", () -> {
                try (Connection c = stack.connect()) {
                    UsersWriter.copy(c, p.users(), now);
                }
            });
            timed(timings, "user_name_history", () -> {
                try (Connection c = stack.connect()) {
                    UsersWriter.nameHistory(c);
                }
            });
            timed(timings, "events (generate_series, 2 sessions)", () -> EventsWriter.insert(stack, p, now));
            timed(timings, "bookings + registrations", () -> {
                try (Connection c = stack.connect()) {
                    BookingsWriter.insertBookings(c, p, now);
                    BookingsWriter.insertRegistrations(c, p, now);
                }
            });
            timed(timings, "indexes + remaining migrations (V3 indexes, V4 users backfill, ...)", () -> {
                recreate(stack, deferred);
                DataSchema.migrate(url, migrations, null);
            });
            timed(timings, "user_profiles", () -> {
                try (Connection c = stack.connect()) {
                    ProfilesWriter.insert(c, p.profileShare());
                }
            });
            timed(timings, "VACUUM ANALYZE", () -> vacuumAndCount(stack, marker));
        }
        p.asMap().forEach(marker::setProperty);
        marker.setProperty("migration_files", DataSchema.migrationFiles(root));
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

    /**
     * Migrations added since the data was generated (none of its own changed), applied to it as they would be to a
     * running registry, then ANALYZE; the marker names them. Saves a regeneration when only an index is added.
     */
    private static void migrateForward(Path root, Path dataDir, Properties m) throws Exception {
        Bench.log("user-service has new migrations since " + dataDir + " was generated: applying them to the data");
        long s = System.nanoTime();
        try (Stack stack = new Stack(root, dataDir.resolve("logs"), null)) {
            stack.startPostgres(dataDir.resolve("postgres"), Map.of("maintenance_work_mem", "512MB"));
            DataSchema.migrate(stack.postgres().jdbcUrl(), root.resolve("user-service/src/main/resources/db/migration"), null);
            try (Connection c = stack.connect(); Statement st = c.createStatement()) {
                st.execute("VACUUM ANALYZE");
                try (ResultSet rs = st.executeQuery("SELECT pg_size_pretty(pg_database_size(current_database()))")) {
                    rs.next();
                    m.setProperty("database_size", rs.getString(1));
                }
            }
        }
        String added = DataSchema.addedSince(root, m.getProperty("migration_files", ""));
        m.setProperty("migrated_forward", m.getProperty("migrated_forward", "").isEmpty() ? added
                : m.getProperty("migrated_forward") + ", " + added);
        m.setProperty("generation_steps", m.getProperty("generation_steps") + String.format(Locale.ROOT,
                "; later migrations %s applied to the data in %.0f s", added, secs(s)));
        m.setProperty("migration_files", DataSchema.migrationFiles(root));
        try (OutputStream out = Files.newOutputStream(dataDir.resolve(MARKER))) {
            m.store(out, "bench/run generate: the data set in postgres/ next to this file");
        }
    }

    /** Migrations up to V2, then the secondary indexes dropped for the load; returns the statements that recreate them. */
    private static List<String> schema(Stack stack, String url, Path migrations, Map<String, Double> timings) throws Exception {
        long s = System.nanoTime();
        DataSchema.migrate(url, migrations, "2");
        List<String> deferred;
        try (Connection c = stack.connect()) {
            deferred = DataSchema.dropSecondaryIndexes(c, "users", "events", "user_name_history");
        }
        timings.put("schema V1-V2 (Flyway)", secs(s));
        return deferred;
    }

    private static void recreate(Stack stack, List<String> deferred) throws Exception {
        try (Connection c = stack.connect(); Statement st = c.createStatement()) {
            for (String ddl : deferred) {
                Bench.log("  " + ddl);
                st.execute(ddl);
            }
        }
    }

    /**
     * VACUUM (ANALYZE) of the tables a benchmark's rolled-back writes left dead rows in, so that the next benchmark on
     * the shared data does not meet autovacuum in the middle of its rows (a search row once ran 2× slower under it).
     */
    public static void reclaim(Connection c, String... tables) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            long t0 = System.nanoTime();
            st.execute("VACUUM (ANALYZE) " + String.join(", ", tables));
            Bench.log(String.format(Locale.ROOT, "VACUUM (ANALYZE) %s after the rolled-back writes: %.1f s",
                    String.join(", ", tables), (System.nanoTime() - t0) / 1e9));
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** VACUUM ANALYZE (and a second VACUUM), then the row counts and database size into the marker. */
    private static void vacuumAndCount(Stack stack, Properties marker) throws Exception {
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
    }

    private static double secs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
