package dev.tgregistry.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the whole system on this machine without Docker: PostgreSQL on 55432 (database {@code users}), Kafka on
 * 9092, and the packaged {@code user-service} (8080, management 9000) and {@code bot-ingest} (8081, management
 * 9001) as child processes. The children run the prod profile with local conveniences: plain-text logs, Swagger UI
 * on, no shutdown delay (see {@link #LOCAL_CONVENIENCES}).
 *
 * <pre>
 *   ./mvnw -B package -DskipTests          # builds the services and local-stack/target/local-stack-runner.jar
 *   java -jar local-stack/target/local-stack-runner.jar [--root DIR] [--data-dir DIR] [--no-services]
 * </pre>
 *
 * Options: {@code --root DIR} repository root, the children's working directory (default {@code .});
 * {@code --data-dir DIR} where PostgreSQL ({@code DIR/postgres}) and Kafka ({@code DIR/kafka}) keep their data
 * across runs (default: env {@code LOCAL_DATA_DIR}, else {@code ./.local-data}); {@code --no-services} only the
 * infrastructure; {@code --pg-port N}, {@code --kafka-port N} other ports.
 * System properties: {@code local-stack.user-service.jar}, {@code local-stack.bot-ingest.jar} (relative to the
 * root), {@code local-stack.child-jvm-opts} (extra JVM options for both children, space separated).
 *
 * <p>SIGINT (Ctrl-C) or SIGTERM stops everything in order (children: SIGTERM, 10 s grace, then kill; Kafka;
 * PostgreSQL) and exits 0. If a child dies on its own, everything is stopped and the exit code is 1.
 * A background job ({@code &}) of a non-interactive shell starts with SIGINT ignored; the launcher then
 * relaunches itself through {@code env --default-signal=INT} so that {@code kill -INT} still works.
 */
public final class LocalRun {
    /**
     * JVM options of each service (the JVM's default heap here would be a quarter of 24 GiB): the parent pom's
     * {@code service.java-options}, which the images use too, through the filtered resource
     * {@code service-jvm.properties}. Override with {@code -Dlocal-stack.child-jvm-opts}.
     */
    public static final String SERVICE_JVM_OPTS = serviceJvmOptions();
    /**
     * Environment of each service process: glibc gives every thread that allocates natively (Netty, the JIT) a
     * malloc arena of its own, whose touched pages stay resident; two arenas are plenty for these services.
     */
    public static final Map<String, String> SERVICE_ENV = Map.of("MALLOC_ARENA_MAX", "2");

    public static final int DEFAULT_PG_PORT = 55432;
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int USER_SERVICE_PORT = 8080;
    public static final int BOT_INGEST_PORT = 8081;
    /** Health, metrics (and bot-ingest's API docs): each service's management port, distinct so both fit on one host. */
    public static final int USER_SERVICE_MANAGEMENT_PORT = 9000;
    public static final int BOT_INGEST_MANAGEMENT_PORT = 9001;
    /**
     * Settings that differ from production for a developer's machine, unless set in the environment: plain-text
     * logs instead of JSON, Swagger UI on, and no shutdown delay (nothing routes traffic that would need draining).
     */
    public static final Map<String, String> LOCAL_CONVENIENCES = Map.of(
            "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false",
            "QUARKUS_SWAGGER_UI_ENABLED", "true",
            "QUARKUS_SHUTDOWN_DELAY", "0s");
    public static final String DATABASE = "users";
    public static final String DEFAULT_API_KEYS = "dev-api-key";
    public static final String DEFAULT_INGEST_SECRET = "dev-ingest-secret";

    private static final PrintStream OUT = System.out;
    /** Above the services' quarkus.shutdown.timeout (10 s). */
    private static final Duration CHILD_STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration CHILD_READY_TIMEOUT = Duration.ofSeconds(180);

    private final Options options;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<PackagedService> children = new ArrayList<>();
    private volatile LocalPostgres postgres;
    private volatile LocalKafka kafka;
    private boolean tornDown;

    private LocalRun(Options options) {
        this.options = options;
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("local-stack: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            OUT.println(Options.USAGE);
            return;
        }
        if (sigintIgnored()) {
            if (System.getenv(SIGINT_RESET_MARKER) == null && envCanResetSigint()
                    && ProcessHandle.current().info().arguments().isPresent()) {
                System.exit(relaunchWithDefaultSigint());
                return;
            }
            System.err.println("[local-stack] note: SIGINT is ignored by this process (background job of a"
                    + " non-interactive shell?); stop it with SIGTERM");
        }
        new LocalRun(options).run();
    }

    // ------------------------------------------------------------------------------------------ SIGINT

    private static final String SIGINT_RESET_MARKER = "LOCAL_STACK_SIGINT_RESET";

    /**
     * A background job ({@code cmd &}) of a non-interactive shell starts with SIGINT ignored, and the JVM then
     * never sees it: {@code kill -INT} (e.g. a CI script stopping the launcher's process group) would do nothing.
     * Java cannot un-ignore a signal, so we detect it from /proc and relaunch ourselves through
     * {@code env --default-signal=INT}.
     */
    private static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (mask & (1L << (2 - 1))) != 0; // SIGINT = 2
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return false;
    }

    private static boolean envCanResetSigint() {
        return Util.exec(List.of("env", "--default-signal=INT", "true"), 10).exitCode() == 0;
    }

    /** Runs the same command line again with SIGINT at its default, waits for it and returns its exit code. */
    private static int relaunchWithDefaultSigint() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT"));
        cmd.add(info.command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(Arrays.asList(info.arguments().orElseThrow()));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put(SIGINT_RESET_MARKER, "1");
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            System.err.println("[local-stack] relaunch with SIGINT enabled failed (" + e + "); stop with SIGTERM");
            return 1;
        }
        // SIGTERM/SIGHUP to this wrapper: pass it on; the exit code is then the child's
        for (String sig : List.of("TERM", "HUP")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> child.destroy());
            } catch (IllegalArgumentException | LinkageError e) {
                // the shutdown hook below still forwards
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (child.isAlive()) {
                child.destroy();
                try {
                    child.waitFor(90, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "local-run-forward"));
        while (true) {
            try {
                return child.waitFor();
            } catch (InterruptedException e) {
                // keep waiting
            }
        }
    }

    private void run() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::teardown, "local-run-shutdown"));
        installSignalHandler("INT");
        installSignalHandler("TERM");

        Path dataDir = options.dataDir();
        Path root = options.root();
        Path userServiceJar = root.resolve(System.getProperty("local-stack.user-service.jar",
                "user-service/target/quarkus-app/quarkus-run.jar")).normalize();
        Path botIngestJar = root.resolve(System.getProperty("local-stack.bot-ingest.jar",
                "bot-ingest/target/quarkus-app/quarkus-run.jar")).normalize();
        if (!options.noServices) {
            List<String> missing = new ArrayList<>();
            for (Path jar : List.of(userServiceJar, botIngestJar)) {
                if (!Files.isRegularFile(jar)) {
                    missing.add(jar.toString());
                }
            }
            if (!missing.isEmpty()) {
                fail("service jar(s) not found: " + String.join(", ", missing)
                        + System.lineSeparator() + "  build them first: ./mvnw -B package -DskipTests"
                        + " (from the repository root; or pass --root DIR, or run with --no-services)");
                return;
            }
        }

        try {
            OUT.println("[local-stack] starting PostgreSQL on port " + options.pgPort + " (data " + dataDir.resolve("postgres") + ")");
            postgres = LocalPostgres.start(options.pgPort, dataDir.resolve("postgres"), DATABASE);
            postgres.removeShutdownHook(); // stopped by teardown(), after the children
            OUT.println("[local-stack] starting Kafka on port " + options.kafkaPort + " (data " + dataDir.resolve("kafka") + ")");
            kafka = LocalKafka.start(options.kafkaPort, dataDir.resolve("kafka"));
            kafka.removeShutdownHook();
        } catch (RuntimeException e) {
            fail(e.getMessage());
            return;
        }
        if (stopping.get()) {
            awaitStop();
            return;
        }

        String userServiceApiKeys = null;
        String ingestSecret = null;
        if (!options.noServices) {
            try {
                Map<String, String> userServiceEnv = new LinkedHashMap<>(ServiceEnv.database(postgres));
                userServiceEnv.putAll(ServiceEnv.kafka(kafka.bootstrapServers()));
                userServiceEnv.put(ServiceEnv.APP_API_KEYS, envOr(ServiceEnv.APP_API_KEYS, DEFAULT_API_KEYS));
                PackagedService userService = startChild(PackagedService.builder("user-service", userServiceJar)
                        .ports(USER_SERVICE_PORT, USER_SERVICE_MANAGEMENT_PORT).env(userServiceEnv));
                userServiceApiKeys = userService.env().get(ServiceEnv.APP_API_KEYS);
                PackagedService botIngest = startChild(PackagedService.builder("bot-ingest", botIngestJar)
                        .ports(BOT_INGEST_PORT, BOT_INGEST_MANAGEMENT_PORT)
                        .env(ServiceEnv.kafka(kafka.bootstrapServers()))
                        .env(Map.of(ServiceEnv.APP_INGEST_SECRET, envOr(ServiceEnv.APP_INGEST_SECRET, DEFAULT_INGEST_SECRET))));
                ingestSecret = botIngest.env().get(ServiceEnv.APP_INGEST_SECRET);
                for (PackagedService c : List.of(userService, botIngest)) {
                    c.awaitListening(CHILD_READY_TIMEOUT);
                }
            } catch (IOException | RuntimeException e) {
                if (!stopping.get()) {
                    fail(e.getMessage());
                }
                awaitStop();
                return;
            }
        }
        if (stopping.get()) {
            awaitStop();
            return;
        }
        printSummary(dataDir, userServiceApiKeys, ingestSecret);
        awaitStop();
    }

    // ------------------------------------------------------------------------------------------ children

    /** Starts a service from {@code root} with this launcher's JVM options, environment and console echo. */
    private PackagedService startChild(PackagedService.Builder builder) throws IOException {
        builder.workDir(options.root())
                .jvmOptions(System.getProperty("local-stack.child-jvm-opts", SERVICE_JVM_OPTS))
                .envDefaults(SERVICE_ENV).envDefaults(LOCAL_CONVENIENCES)
                .echoTo(OUT);
        OUT.println("[local-stack] starting " + builder.name() + ": " + builder.commandLine());
        PackagedService child = builder.start();
        synchronized (children) {
            children.add(child);
        }
        child.process().onExit().thenRun(() -> onChildExit(child));
        return child;
    }

    private void onChildExit(PackagedService child) {
        if (stopping.get()) {
            return;
        }
        // a Ctrl-C in the terminal reaches the children too; give our own signal handler a moment to win
        sleep(500);
        if (stopping.get()) {
            return;
        }
        requestStop(1, child.name() + " exited unexpectedly with code " + child.process().exitValue()
                + "; stopping everything");
    }

    private static void stopChild(PackagedService child) {
        if (!child.process().isAlive()) {
            return;
        }
        OUT.println("[local-stack] stopping " + child.name() + " (pid " + child.pid() + ")");
        if (!child.stop(CHILD_STOP_GRACE).exitedOnItsOwn()) {
            OUT.println("[local-stack] " + child.name() + " was still running after " + CHILD_STOP_GRACE.toSeconds()
                    + " s and was killed");
        }
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    private void installSignalHandler(String name) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                if (stopping.get()) {
                    OUT.println("[local-stack] already stopping, please wait");
                } else {
                    OUT.println();
                    requestStop(0, "received SIG" + name + ", stopping");
                }
            });
        } catch (IllegalArgumentException | LinkageError e) {
            // signal unavailable (e.g. -Xrs or ignored by the parent): the JVM shutdown hook still tears down
        }
    }

    /** Stops everything in order on a separate thread, then exits the JVM with {@code exitCode}. */
    private void requestStop(int exitCode, String reason) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> {
            OUT.println("[local-stack] " + reason);
            teardown();
            System.exit(exitCode);
        }, "local-run-stop");
        t.start();
    }

    private void fail(String message) {
        System.err.println("[local-stack] ERROR: " + message);
        if (stopping.compareAndSet(false, true)) {
            teardown();
            System.exit(1);
        }
    }

    private void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // the stopping thread calls System.exit; just park until it does
        while (true) {
            sleep(60_000);
        }
    }

    /** Idempotent: children first, then Kafka, then PostgreSQL. Also runs as the JVM shutdown hook. */
    private synchronized void teardown() {
        if (tornDown) {
            return;
        }
        tornDown = true;
        stopping.set(true);
        List<PackagedService> toStop;
        synchronized (children) {
            toStop = new ArrayList<>(children);
        }
        for (int i = toStop.size() - 1; i >= 0; i--) {
            stopChild(toStop.get(i));
        }
        LocalKafka k = kafka;
        if (k != null) {
            OUT.println("[local-stack] stopping Kafka");
            try {
                k.close();
            } catch (RuntimeException e) {
                System.err.println("[local-stack] Kafka shutdown failed: " + e);
            }
        }
        LocalPostgres pg = postgres;
        if (pg != null) {
            OUT.println("[local-stack] stopping PostgreSQL");
            pg.close();
        }
        OUT.println("[local-stack] stopped");
        stopped.countDown();
    }

    private void printSummary(Path dataDir, String apiKeys, String ingestSecret) {
        String nl = System.lineSeparator();
        String line = "=".repeat(78);
        StringBuilder sb = new StringBuilder();
        sb.append(nl).append(line).append(nl);
        sb.append(" Local stack is up").append(nl);
        sb.append("   PostgreSQL   ").append(postgres.jdbcUrl())
                .append("   user ").append(postgres.username()).append(" / password ").append(postgres.password())
                .append(" (trust auth)").append(nl);
        sb.append("                psql -h localhost -p ").append(postgres.port()).append(" -U ")
                .append(postgres.username()).append(' ').append(DATABASE).append(nl);
        sb.append("   Kafka        ").append(kafka.bootstrapServers()).append(nl);
        if (options.noServices) {
            sb.append("   services     not started (--no-services)").append(nl);
        } else {
            sb.append("   user-service http://localhost:").append(USER_SERVICE_PORT)
                    .append("   APP_API_KEYS=").append(apiKeys).append(secretSource("APP_API_KEYS")).append(nl);
            sb.append("                health, metrics http://localhost:").append(USER_SERVICE_MANAGEMENT_PORT)
                    .append("/q/health, /q/metrics; Swagger UI http://localhost:").append(USER_SERVICE_PORT)
                    .append("/q/swagger-ui").append(nl);
            sb.append("   bot-ingest   http://localhost:").append(BOT_INGEST_PORT)
                    .append("   APP_INGEST_SECRET=").append(ingestSecret).append(secretSource("APP_INGEST_SECRET"))
                    .append(nl);
            sb.append("                health, metrics, Swagger UI http://localhost:").append(BOT_INGEST_MANAGEMENT_PORT)
                    .append("/q/health, /q/metrics, /q/swagger-ui").append(nl);
        }
        sb.append("   data dir     ").append(dataDir).append("  (postgres/, postgres.log, kafka/)").append(nl);
        sb.append(" Ctrl-C to stop").append(nl);
        sb.append(line);
        synchronized (OUT) {
            OUT.println(sb);
        }
    }

    private static String secretSource(String var) {
        String v = System.getenv(var);
        return v == null || v.isBlank() ? " (default)" : " (from environment)";
    }

    /** The launcher's own environment's value of {@code var}, unless unset or blank. */
    private static String envOr(String var, String fallback) {
        String v = System.getenv(var);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static String serviceJvmOptions() {
        Properties p = new Properties();
        try (InputStream in = LocalRun.class.getResourceAsStream("/service-jvm.properties")) {
            if (in == null) {
                throw new IllegalStateException("service-jvm.properties missing from local-stack's classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("java-options").trim();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------ options

    static final class Options {
        static final String USAGE = String.join(System.lineSeparator(),
                "usage: java -jar local-stack/target/local-stack-runner.jar [options]",
                "  --root DIR        repository root; working directory of the services (default .)",
                "  --data-dir DIR    persistent data: DIR/postgres, DIR/kafka (default $LOCAL_DATA_DIR or ./.local-data)",
                "  --no-services     start only PostgreSQL and Kafka",
                "  --pg-port N       PostgreSQL port (default " + DEFAULT_PG_PORT + ")",
                "  --kafka-port N    Kafka port (default " + DEFAULT_KAFKA_PORT + ")",
                "  -h, --help        this text",
                "system properties: -Dlocal-stack.user-service.jar=PATH -Dlocal-stack.bot-ingest.jar=PATH",
                "                   -Dlocal-stack.child-jvm-opts=\"-Xmx512m ...\"");

        String root = ".";
        String dataDir;
        boolean noServices;
        boolean help;
        int pgPort = DEFAULT_PG_PORT;
        int kafkaPort = DEFAULT_KAFKA_PORT;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String value = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    value = a.substring(eq + 1);
                    a = a.substring(0, eq);
                }
                switch (a) {
                    case "--root" -> o.root = value != null ? value : next(args, ++i, a);
                    case "--data-dir" -> o.dataDir = value != null ? value : next(args, ++i, a);
                    case "--no-services" -> o.noServices = true;
                    case "--pg-port" -> o.pgPort = port(value != null ? value : next(args, ++i, a), a);
                    case "--kafka-port" -> o.kafkaPort = port(value != null ? value : next(args, ++i, a), a);
                    case "-h", "--help" -> o.help = true;
                    default -> throw new IllegalArgumentException("unknown option: " + args[i]);
                }
            }
            return o;
        }

        Path root() {
            return Path.of(root).toAbsolutePath().normalize();
        }

        Path dataDir() {
            String d = dataDir;
            if (d == null || d.isBlank()) {
                d = System.getenv("LOCAL_DATA_DIR");
            }
            if (d == null || d.isBlank()) {
                d = ".local-data";
            }
            return Path.of(d).toAbsolutePath().normalize();
        }

        private static String next(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int port(String v, String option) {
            try {
                int p = Integer.parseInt(v);
                if (p <= 0 || p > 65535) {
                    throw new NumberFormatException();
                }
                return p;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": not a port: " + v);
            }
        }
    }
}
