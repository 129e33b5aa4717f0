package dev.tgregistry.bench.faults;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.report.Report;
import dev.tgregistry.bench.stack.Stack;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Adoption of a profile bot's database while the bot keeps upserting its users table: bench/README.md,
 * "bench/run adoption".
 */
public final class AdoptionBenchmark {
    static final String UPSERT = "INSERT INTO users (user_id, first_name, last_name, username, language_code, is_active)"
            + " VALUES (?, ?, ?, ?, ?, TRUE) ON CONFLICT (user_id) DO UPDATE SET first_name = EXCLUDED.first_name,"
            + " last_name = EXCLUDED.last_name, username = EXCLUDED.username, language_code = EXCLUDED.language_code,"
            + " is_active = TRUE, updated_at = now()";
    /** The profile bot's users table (SEED-BOTS.md §2). */
    static final String PROFILE_BOT_TABLE = """
            CREATE TABLE users (user_id bigint PRIMARY KEY, username varchar, first_name varchar, last_name text,
                language_code text, onboarding_completed boolean, real_name text, nickname varchar, study_track text,
                grade_band text, grade_year text, phone text, is_active boolean, created_at timestamp,
                last_seen_at timestamptz, updated_at timestamp, last_activity timestamptz);
            CREATE UNIQUE INDEX users_nickname_key ON users (nickname);
            CREATE INDEX users_onboarding_idx ON users (onboarding_completed);
            CREATE INDEX users_study_track_idx ON users (study_track);
            CREATE INDEX users_grade_year_idx ON users (grade_year);
            """;
    private static final int BOT_CONNECTIONS = 4;
    private static final int COST_SAMPLE = 20_000;

    private final Map<String, Histogram> phases = new LinkedHashMap<>();
    private volatile Histogram current;
    private final AtomicBoolean paused = new AtomicBoolean();

    public static void main(String[] args) throws Exception {
        Bench.Args a = new Bench.Args(args, String.join("\n", "usage: bench/run adoption [options]",
                "  --users N   rows of the bot's users table (default 1000000)",
                "  --rate N    the bot's upserts per second (default 200)"));
        int users = a.integer("users", 1_000_000);
        int rate = a.integer("rate", 200);
        a.done();
        new AdoptionBenchmark().run(Path.of("").toAbsolutePath(), users, rate);
        System.exit(0);
    }

    private void run(Path root, int users, int rate) throws Exception {
        Stack.requirePortsFree(55432, 9092, 8080, 9000);
        try (Stack stack = new Stack(root, root.resolve(Report.WORKING_DIR).resolve("adoption-logs"), null)) {
            stack.startPostgres(null, Map.of());
            stack.startKafka();
            String url = stack.postgres().jdbcUrl();
            long loadStart = System.nanoTime();
            try (Connection bot = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = bot.createStatement()) {
                s.execute(PROFILE_BOT_TABLE);
                s.execute("INSERT INTO users (user_id, username, first_name, last_name, language_code, onboarding_completed,"
                        + " nickname, grade_year, is_active, created_at, updated_at)"
                        + " SELECT 100000000 + i, 'user_' || i, 'نام ' || (i % 997), 'Фамилия', 'fa', i % 3 = 0,"
                        + " CASE WHEN i % 3 = 0 THEN 'nick_' || i END, CASE WHEN i % 3 = 0 THEN 'دهم' END, true,"
                        + " timestamp '2024-01-01' + i * interval '1 second', timestamp '2025-01-01' + i * interval '1 second'"
                        + " FROM generate_series(1, " + users + ") AS i");
                s.execute("ANALYZE users");
            }
            Bench.log(String.format("bot table: %,d users in %.0f s", users, (System.nanoTime() - loadStart) / 1e9));
            double plainMicros = upsertCost(url, users);

            AtomicBoolean running = new AtomicBoolean(true);
            Thread[] botThreads = startBot(url, users, rate, running);
            phase("baseline (no registry)");
            Bench.sleep(15_000);

            phase("adopt + copy of existing rows");
            long adoptStart = System.nanoTime();
            Stack.Service service = stack.startUserService();
            stack.awaitReady(service, Duration.ofMinutes(30));
            try (Connection registry = stack.connect()) {
                while (scalar(registry, "SELECT count(*) FROM adopted_tables WHERE backfilled_at IS NOT NULL") < 1) {
                    Bench.sleep(1000);
                }
            }
            double adoptSeconds = (System.nanoTime() - adoptStart) / 1e9;

            phase("side by side");
            Bench.sleep(15_000);

            // the capture's own cost: the same upserts with the trigger, nothing else running
            paused.set(true);
            Stack.stop(service, 20);
            double capturedMicros = upsertCost(url, users);
            service = stack.startUserService();
            stack.awaitReady(service, Duration.ofMinutes(5));
            paused.set(false);

            phase("finish");
            long finishStart = System.nanoTime();
            HttpResponse<String> finished = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(service.baseUrl() + "/api/admin/adoption/finish?force=true"))
                    .header("Authorization", "Bearer " + Stack.API_KEY).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            double finishSeconds = (System.nanoTime() - finishStart) / 1e9;
            Bench.log("finish: " + finished.statusCode() + " " + finished.body());
            Bench.sleep(5_000);

            Stack.stop(service, 20);
            phase("undo");
            long undoStart = System.nanoTime();
            try (Connection undo = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = undo.createStatement()) {
                s.execute("CALL registry.undo_adoption()");
            }
            double undoSeconds = (System.nanoTime() - undoStart) / 1e9;
            Bench.sleep(5_000);
            running.set(false);
            for (Thread t : botThreads) {
                t.join();
            }

            Report report = new Report().line("# Adoption of a profile bot's database while the bot runs")
                    .line("").line(Bench.machine() + ", commit " + Bench.commit(root) + String.format(
                            ", %,d users, the bot upserting %d/s over %d connections", users, rate, BOT_CONNECTIONS))
                    .table("phase", "bot statements", "p50 ms", "p99 ms", "max ms (bounds its longest lock wait)");
            phases.forEach((name, h) -> report.row(name, h.getTotalCount(), Bench.fmt(Bench.ms(h, 50)),
                    Bench.fmt(Bench.ms(h, 99)), Bench.fmt(h.getMaxValue() / 1000.0)));
            report.table("step", "seconds").row("adopt (start, migrate, capture, copy every row)", Bench.fmt(adoptSeconds))
                    .row("finish (drop the capture triggers)", Bench.fmt(finishSeconds))
                    .row("undo (write back every user, drop, rename)", Bench.fmt(undoSeconds));
            report.line("").line(String.format("Capture cost per bot write: the same %,d upserts on one connection, nothing"
                    + " else running, take %s µs each before adoption, %s µs with the capture trigger (%s µs more) and %s µs"
                    + " after undo removed it.", COST_SAMPLE, Bench.fmt(plainMicros), Bench.fmt(capturedMicros),
                    Bench.fmt(capturedMicros - plainMicros), Bench.fmt(upsertCost(url, users))));
            report.publish(root, "adoption", Report.Copy.toCommit(null));
        }
    }

    private void phase(String name) {
        Histogram h = Bench.histogram();
        synchronized (phases) {
            phases.put(name, h);
        }
        current = h;
        Bench.log("phase: " + name);
    }

    /** The bot: its upsert on random existing users at {@code rate}/s in total, each statement's latency recorded. */
    private Thread[] startBot(String url, int users, int rate, AtomicBoolean running) {
        Thread[] threads = new Thread[BOT_CONNECTIONS];
        long pauseNanos = 1_000_000_000L * BOT_CONNECTIONS / rate;
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                try (Connection bot = DriverManager.getConnection(url, "postgres", "postgres");
                     PreparedStatement upsert = bot.prepareStatement(UPSERT)) {
                    long next = System.nanoTime();
                    while (running.get()) {
                        if (paused.get()) {
                            Thread.sleep(100);
                            next = System.nanoTime();
                            continue;
                        }
                        bind(upsert, users);
                        long start = System.nanoTime();
                        upsert.executeUpdate();
                        Histogram h = current;
                        if (h != null) {
                            synchronized (h) {
                                h.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                            }
                        }
                        next += pauseNanos;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                } catch (Exception e) {
                    Bench.log("bot connection failed: " + e);
                }
            }, "bot-" + i);
            threads[i].start();
        }
        return threads;
    }

    /** Mean µs of {@link #COST_SAMPLE} upserts on one connection (autocommit, as the bot runs them). */
    private static double upsertCost(String url, int users) throws Exception {
        try (Connection bot = DriverManager.getConnection(url, "postgres", "postgres");
             PreparedStatement upsert = bot.prepareStatement(UPSERT)) {
            for (int i = 0; i < 2_000; i++) {
                bind(upsert, users);
                upsert.executeUpdate();
            }
            long start = System.nanoTime();
            for (int i = 0; i < COST_SAMPLE; i++) {
                bind(upsert, users);
                upsert.executeUpdate();
            }
            return (System.nanoTime() - start) / 1000.0 / COST_SAMPLE;
        }
    }

    private static void bind(PreparedStatement upsert, int users) throws Exception {
        int i = ThreadLocalRandom.current().nextInt(1, users + 1);
        upsert.setLong(1, 100_000_000L + i);
        upsert.setString(2, "نام " + (i % 997));
        upsert.setString(3, "Фамилия");
        upsert.setString(4, "user_" + i + "_" + ThreadLocalRandom.current().nextInt(3));
        upsert.setString(5, "fa");
    }

    private static long scalar(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
