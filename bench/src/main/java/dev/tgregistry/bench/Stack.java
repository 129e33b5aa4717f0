// Over 350 lines: the benchmarks' stack: PostgreSQL, Kafka (in process or as a child), the packaged services and their stop/kill. Splitting the benchmarks by phase, with one shared report writer, is issue 15's
// planned step ("Benchmarks split by phase"); it was left for that issue so as not to collide with this session's merges.
package dev.tgregistry.bench;

import dev.tgregistry.localstack.LocalKafka;
import dev.tgregistry.localstack.LocalPostgres;
import dev.tgregistry.localstack.LocalRun;
import dev.tgregistry.localstack.Util;
import dev.tgregistry.model.Topics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The system the way {@link LocalRun} starts it: {@link LocalPostgres} on 55432 (database {@code users}),
 * {@link LocalKafka} on 9092 (in this JVM), and the packaged services as child processes with the same environment
 * LocalRun gives them (user-service :8080 with API key {@code dev-api-key}, management :9000; bot-ingest :8081 with
 * secret {@code dev-ingest-secret}, management :9001; {@link LocalRun#LOCAL_CONVENIENCES}) and LocalRun's JVM options for them ({@link LocalRun#SERVICE_JVM_OPTS}) unless
 * others are given. LocalRun itself is a blocking main that exits the JVM, so its start-up is repeated here with
 * its constants.
 *
 * <p>The services' {@code quarkus-app} directories are copied to a private temporary directory first, so that a
 * concurrent {@code mvn package} in the work tree cannot swap jars under a running benchmark.
 *
 * <p>{@link #close()} (also run by a JVM shutdown hook, e.g. on Ctrl-C) stops the children (SIGTERM, 20 s grace,
 * then kill), Kafka, then PostgreSQL, and deletes the temporary directories.
 */
final class Stack implements AutoCloseable {

    static final String API_KEY = LocalRun.DEFAULT_API_KEYS;
    static final String INGEST_SECRET = LocalRun.DEFAULT_INGEST_SECRET;

    /** A service child process. */
    static final class Service {
        final String name;
        final int port;
        final int managementPort;
        final Process process;
        final Path log;

        Service(String name, int port, int managementPort, Process process, Path log) {
            this.name = name;
            this.port = port;
            this.managementPort = managementPort;
            this.process = process;
            this.log = log;
        }

        long pid() {
            return process.pid();
        }

        String baseUrl() {
            return "http://localhost:" + port;
        }

        /** Health and metrics. */
        String managementUrl() {
            return "http://localhost:" + managementPort;
        }
    }

    private final Path root;
    private final Path logDir;
    private final List<String> childJvmOpts;
    private final Thread hook = new Thread(this::close, "bench-stack-shutdown");
    private LocalPostgres postgres;
    private LocalKafka kafka;
    private Process kafkaProcess;
    private String bootstrapServers;
    private Path appCopies;
    private final List<Service> services = new ArrayList<>();
    private boolean closed;

    /** @param childJvmOpts JVM options of the services; null or blank = {@link LocalRun#SERVICE_JVM_OPTS} */
    Stack(Path root, Path logDir, String childJvmOpts) {
        this.root = root;
        this.logDir = logDir;
        String opts = childJvmOpts == null || childJvmOpts.isBlank() ? LocalRun.SERVICE_JVM_OPTS : childJvmOpts;
        this.childJvmOpts = opts.isBlank() ? List.of() : Arrays.asList(opts.trim().split("\\s+"));
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Fails early, with a readable message, when a fixed port is taken (another local stack or benchmark?). */
    static void requirePortsFree(int... ports) {
        List<Integer> taken = new ArrayList<>();
        for (int p : ports) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress("127.0.0.1", p), 1);
            } catch (IOException e) {
                taken.add(p);
            }
        }
        if (!taken.isEmpty()) {
            throw new IllegalStateException("port(s) " + taken + " already in use: is ./run-local or another benchmark"
                    + " running? (check with `ss -ltnp`)");
        }
    }

    /** @param dataDir PGDATA to create or reuse, {@code null} for a temporary one deleted on close */
    LocalPostgres startPostgres(Path dataDir, Map<String, String> settings) {
        Bench.log("starting PostgreSQL on " + LocalRun.DEFAULT_PG_PORT + (dataDir == null ? " (temporary data dir)" : " (data " + dataDir + ")"));
        postgres = LocalPostgres.start(LocalRun.DEFAULT_PG_PORT, dataDir, LocalRun.DATABASE, settings);
        return postgres;
    }

    LocalKafka startKafka() {
        Bench.log("starting Kafka on " + LocalRun.DEFAULT_KAFKA_PORT + " (temporary log dir)");
        kafka = LocalKafka.start(LocalRun.DEFAULT_KAFKA_PORT, null);
        // what a deployment does up front; auto-creation on first use would also work, only later
        kafka.createTopics(Topics.USER_SEEN, Topics.BOT_EVENTS, Topics.BOOKINGS, Topics.FREE_LESSONS);
        bootstrapServers = kafka.bootstrapServers();
        return kafka;
    }

    /**
     * Kafka as a child process ({@link KafkaChild}) on {@link LocalRun#DEFAULT_KAFKA_PORT} with the given log
     * directory and broker settings, so that it can be stopped and started again on the same port and data; waits
     * until the broker answers. The caller creates topics ({@link LocalKafka#createTopics(String, int, String...)}).
     */
    void startKafkaProcess(Path logDir, Map<String, String> settings) throws IOException {
        if (kafkaProcess != null && kafkaProcess.isAlive()) {
            throw new IllegalStateException("Kafka child already running");
        }
        int port = LocalRun.DEFAULT_KAFKA_PORT;
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), KafkaChild.class.getName(),
                Integer.toString(port), logDir.toString()));
        settings.forEach((k, v) -> cmd.add(k + "=" + v));
        Files.createDirectories(logDir);
        Files.createDirectories(this.logDir);
        Path log = this.logDir.resolve("kafka.log");
        long offset = Files.exists(log) ? Files.size(log) : 0;
        Bench.log("starting Kafka (child process) on " + port + ", log dir " + logDir + ", log " + log);
        kafkaProcess = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        kafkaProcess.getOutputStream().close();
        bootstrapServers = "127.0.0.1:" + port;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!readFrom(log, offset).contains(KafkaChild.READY)) {
            if (!kafkaProcess.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka child did not start; see " + log);
            }
            Bench.sleep(100);
        }
        Bench.log("Kafka is ready (pid " + kafkaProcess.pid() + ")");
    }

    /** Stops the Kafka child: SIGTERM (controlled shutdown), or SIGKILL when {@code kill}; waits for the exit. */
    void stopKafkaProcess(boolean kill) {
        if (kafkaProcess == null || !kafkaProcess.isAlive()) {
            return;
        }
        Bench.log((kill ? "killing" : "stopping") + " Kafka (pid " + kafkaProcess.pid() + ")");
        terminate(kafkaProcess, kill, 60);
    }

    private static String readFrom(Path file, long offset) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return offset >= all.length ? "" : new String(all, (int) offset, all.length - (int) offset, java.nio.charset.StandardCharsets.UTF_8);
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    Service startUserService() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("APP_API_KEYS", API_KEY);
        return startService("user-service", LocalRun.USER_SERVICE_PORT, LocalRun.USER_SERVICE_MANAGEMENT_PORT, env);
    }

    /** Another user-service process on {@code port} (same database and consumer groups), named {@code name}. */
    Service startUserService(String name, int port) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("APP_API_KEYS", API_KEY);
        return startService(name, "user-service", port, port + 1000, env);
    }

    Service startBotIngest() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("APP_INGEST_SECRET", INGEST_SECRET);
        return startService("bot-ingest", LocalRun.BOT_INGEST_PORT, LocalRun.BOT_INGEST_MANAGEMENT_PORT, env);
    }

    /**
     * One more instance of {@code module} (user-service or bot-ingest) with the environment {@link #startUserService()}
     * or {@link #startBotIngest()} gives it, on the given ports, plus {@code extraEnv} (which wins).
     */
    Service startInstance(String name, String module, int port, int managementPort, Map<String, String> extraEnv)
            throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        if (module.equals("user-service")) {
            env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl());
            env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
            env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
            env.put("APP_API_KEYS", API_KEY);
        } else {
            env.put("APP_INGEST_SECRET", INGEST_SECRET);
        }
        env.putAll(extraEnv);
        return startService(name, module, port, managementPort, env);
    }

    private Service startService(String name, int port, int managementPort, Map<String, String> extraEnv) throws IOException {
        return startService(name, name, port, managementPort, extraEnv);
    }

    private Service startService(String name, String module, int port, int managementPort, Map<String, String> extraEnv)
            throws IOException {
        Path app = root.resolve(module).resolve("target/quarkus-app");
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(app.resolve("quarkus-run.jar") + " not found; build first: ./mvnw -B -q install -DskipTests");
        }
        if (appCopies == null) {
            appCopies = Files.createTempDirectory("bench-apps-");
        }
        Path copy = appCopies.resolve(module);
        if (!Files.isDirectory(copy)) {
            copyTree(app, copy); // once per run: a restarted service runs the same jars
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(childJvmOpts);
        cmd.add("-jar");
        cmd.add(copy.resolve("quarkus-run.jar").toString());
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        LocalRun.SERVICE_ENV.forEach(pb.environment()::putIfAbsent);
        LocalRun.LOCAL_CONVENIENCES.forEach(pb.environment()::putIfAbsent);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        pb.environment().putAll(extraEnv);
        Bench.log("starting " + name + " on :" + port + " (" + String.join(" ", cmd) + "), log " + log);
        Process p = pb.start();
        p.getOutputStream().close();
        Service s = new Service(name, port, managementPort, p, log);
        synchronized (services) {
            services.add(s);
        }
        return s;
    }

    /** Waits until {@code /q/health/ready} (management port) answers 200 (database and Kafka checks included). */
    void awaitReady(Service s, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!s.process.isAlive()) {
                throw new IllegalStateException(s.name + " exited during start-up with code " + s.process.exitValue()
                        + "; see " + s.log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.managementUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    Bench.log(s.name + " is ready (pid " + s.pid() + ")");
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            Bench.sleep(250);
        }
        throw new IllegalStateException(s.name + " not ready within " + timeout.toSeconds() + " s: " + last + "; see " + s.log);
    }

    /** The JVM options the services get. */
    String childJvmOpts() {
        return String.join(" ", childJvmOpts);
    }

    LocalPostgres postgres() {
        return postgres;
    }

    /** A connection of the benchmark itself, named {@code bench} in pg_stat_activity. */
    Connection connect() throws SQLException {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", postgres.username());
        props.setProperty("password", postgres.password());
        props.setProperty("ApplicationName", "bench");
        return DriverManager.getConnection(postgres.jdbcUrl(), props);
    }

    /** Stops PostgreSQL only (e.g. to restart it with other settings). */
    void stopPostgres() {
        if (postgres != null) {
            Bench.log("stopping PostgreSQL");
            postgres.close();
            postgres = null;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Service> toStop;
        synchronized (services) {
            toStop = new ArrayList<>(services);
        }
        for (int i = toStop.size() - 1; i >= 0; i--) {
            stop(toStop.get(i));
        }
        stopKafkaProcess(false);
        if (kafka != null) {
            Bench.log("stopping Kafka");
            try {
                kafka.close();
            } catch (RuntimeException e) {
                System.err.println("Kafka shutdown failed: " + e);
            }
        }
        stopPostgres();
        if (appCopies != null) {
            Util.deleteRecursively(appCopies);
        }
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // fine
            }
        }
    }

    /**
     * SIGTERM, {@code graceSeconds} to exit, then SIGKILL. Returns the seconds until the process was gone and
     * whether it exited on its own (false = it had to be killed).
     */
    static StopResult stop(Service s, long graceSeconds) {
        Process p = s.process;
        if (!p.isAlive()) {
            return new StopResult(0, true);
        }
        Bench.log("stopping " + s.name + " (pid " + p.pid() + ")");
        long t0 = System.nanoTime();
        boolean clean = terminate(p, false, graceSeconds);
        return new StopResult((System.nanoTime() - t0) / 1e9, clean);
    }

    record StopResult(double seconds, boolean exitedOnItsOwn) {
    }

    private static void stop(Service s) {
        stop(s, 20); // above the services' quarkus.shutdown.timeout
    }

    /** SIGKILL, and waits until the process is gone. */
    static void kill(Service s) {
        Bench.log("SIGKILL " + s.name + " (pid " + s.pid() + ")");
        terminate(s.process, true, 10);
    }

    /** SIGTERM (or SIGKILL when {@code kill}), wait up to {@code graceSeconds}, then SIGKILL; true if it exited in time. */
    private static boolean terminate(Process p, boolean kill, long graceSeconds) {
        if (kill) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
        try {
            if (p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                return true;
            }
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
