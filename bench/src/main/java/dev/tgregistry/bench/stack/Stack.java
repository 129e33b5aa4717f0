package dev.tgregistry.bench.stack;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.localstack.KafkaTopics;
import dev.tgregistry.localstack.LocalKafka;
import dev.tgregistry.localstack.LocalPostgres;
import dev.tgregistry.localstack.StackStarter;
import dev.tgregistry.localstack.PackagedService;
import dev.tgregistry.localstack.ServiceEnv;
import dev.tgregistry.localstack.Util;
import dev.tgregistry.model.Topics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The system the way {@code ./run-local} starts it, through the same {@link StackStarter}: bench/README.md, "How the
 * stack is started". The services' {@code quarkus-app} directories are copied to a private temporary directory
 * first, so that a concurrent {@code mvn package} in the work tree cannot swap jars under a running benchmark.
 * {@link #close()} (also a JVM shutdown hook) stops everything and deletes the temporary directories.
 */
public final class Stack implements AutoCloseable {

    /** ./run-local's port unless {@code -Dbench.pg.port} says otherwise (a benchmark that needs PostgreSQL alone). */
    public static final int PG_PORT = Integer.getInteger("bench.pg.port", StackStarter.DEFAULT_PG_PORT);
    /** The local run's key with every right (the query benchmark times an erasure). */
    public static final String API_KEY = StackStarter.DEFAULT_API_KEY;
    static final String API_KEYS = StackStarter.DEFAULT_API_KEYS;
    public static final String INGEST_SECRET = StackStarter.DEFAULT_INGEST_SECRET;

    /** A service child process. */
    public static final class Service {
        public final String name;
        public final int port;
        public final int managementPort;
        public final Process process;
        final PackagedService packaged;

        Service(PackagedService packaged) {
            this.name = packaged.name();
            this.port = packaged.port();
            this.managementPort = packaged.managementPort();
            this.process = packaged.process();
            this.packaged = packaged;
        }

        public long pid() {
            return process.pid();
        }

        public String baseUrl() {
            return packaged.baseUrl();
        }

        /** Health and metrics. */
        public String managementUrl() {
            return packaged.managementUrl();
        }
    }

    private final Path root;
    private final Path logDir;
    private final String childJvmOpts;
    private final StackStarter starter;
    private final Thread hook = new Thread(this::close, "bench-stack-shutdown");
    private Process kafkaProcess;
    private Path appCopies;
    private boolean closed;

    /** @param childJvmOpts JVM options of the services; null or blank = {@link StackStarter#SERVICE_JVM_OPTS} */
    public Stack(Path root, Path logDir, String childJvmOpts) {
        this.root = root;
        this.logDir = logDir;
        String opts = childJvmOpts == null || childJvmOpts.isBlank() ? StackStarter.SERVICE_JVM_OPTS : childJvmOpts;
        this.childJvmOpts = String.join(" ", opts.trim().split("\\s+"));
        this.starter = new StackStarter(root, this.childJvmOpts, Bench::log);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Fails early, with a readable message, when a fixed port is taken (another local stack or benchmark?). */
    public static void requirePortsFree(int... ports) {
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
    public LocalPostgres startPostgres(Path dataDir, Map<String, String> settings) {
        Bench.log("starting PostgreSQL on " + PG_PORT + (dataDir == null ? " (temporary data dir)" : " (data " + dataDir + ")"));
        return starter.startPostgres(PG_PORT, dataDir, settings);
    }

    public LocalKafka startKafka() {
        Bench.log("starting Kafka on " + StackStarter.DEFAULT_KAFKA_PORT + " (temporary log dir)");
        // the topics up front, as a deployment creates them; auto-creation on first use would also work, only later
        return starter.startKafka(StackStarter.DEFAULT_KAFKA_PORT, null,
                Topics.USER_SEEN, Topics.BOT_EVENTS, Topics.BOOKINGS, Topics.FREE_LESSONS);
    }

    /**
     * Kafka as a child process ({@link KafkaChild}) on {@link StackStarter#DEFAULT_KAFKA_PORT} with the given log
     * directory and broker settings, so that it can be stopped and started again on the same port and data; waits
     * until the broker answers. The caller creates topics ({@link KafkaTopics#create(String, int, String...)}).
     */
    public void startKafkaProcess(Path logDir, Map<String, String> settings) throws IOException {
        if (kafkaProcess != null && kafkaProcess.isAlive()) {
            throw new IllegalStateException("Kafka child already running");
        }
        int port = StackStarter.DEFAULT_KAFKA_PORT;
        Files.createDirectories(logDir);
        Files.createDirectories(this.logDir);
        Path log = this.logDir.resolve("kafka.log");
        Bench.log("starting Kafka (child process) on " + port + ", log dir " + logDir + ", log " + log);
        starter.useKafka("127.0.0.1:" + port);
        kafkaProcess = KafkaChild.launch(port, logDir, settings, log);
        Bench.log("Kafka is ready (pid " + kafkaProcess.pid() + ")");
    }

    /** Stops the Kafka child: SIGTERM (controlled shutdown), or SIGKILL when {@code kill}; waits for the exit. */
    public void stopKafkaProcess(boolean kill) {
        if (kafkaProcess == null || !kafkaProcess.isAlive()) {
            return;
        }
        Bench.log((kill ? "killing" : "stopping") + " Kafka (pid " + kafkaProcess.pid() + ")");
        PackagedService.terminate(kafkaProcess, kill, Duration.ofSeconds(60));
    }

    public String bootstrapServers() {
        return starter.bootstrapServers();
    }

    public Service startUserService() throws IOException {
        return startInstance("user-service", "user-service", StackStarter.USER_SERVICE_PORT,
                StackStarter.USER_SERVICE_MANAGEMENT_PORT, Map.of());
    }

    /** Another user-service process on {@code port} (same database and consumer groups), named {@code name}. */
    public Service startUserService(String name, int port) throws IOException {
        return startInstance(name, "user-service", port, port + 1000, Map.of());
    }

    public Service startBotIngest() throws IOException {
        return startInstance("bot-ingest", "bot-ingest", StackStarter.BOT_INGEST_PORT, StackStarter.BOT_INGEST_MANAGEMENT_PORT,
                Map.of());
    }

    /**
     * An instance of {@code module} (user-service or bot-ingest) with a local run's environment plus {@code extraEnv}
     * (which wins), on the given ports.
     */
    public Service startInstance(String name, String module, int port, int managementPort, Map<String, String> extraEnv)
            throws IOException {
        Map<String, String> env = new LinkedHashMap<>(module.equals("user-service")
                ? starter.userServiceEnv(API_KEYS, StackStarter.DEFAULT_CURSOR_KEYS)
                : starter.botIngestEnv(INGEST_SECRET));
        env.putAll(extraEnv);
        Path app = root.resolve(module).resolve("target/quarkus-app");
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(app.resolve("quarkus-run.jar") + " not found; build first: ./mvnw -B -q install -DskipTests");
        }
        if (appCopies == null) {
            appCopies = Files.createTempDirectory("bench-apps-");
        }
        Path copy = appCopies.resolve(module);
        if (!Files.isDirectory(copy)) {
            Bench.copyTree(app, copy); // once per run: a restarted service runs the same jars
        }
        Path log = logDir.resolve(name + ".log");
        PackagedService.Builder builder = starter.service(name, copy.resolve("quarkus-run.jar"))
                .ports(port, managementPort).env(env).logFile(log);
        Bench.log("starting " + name + " on :" + port + " (" + builder.commandLine() + "), log " + log);
        return new Service(starter.start(builder));
    }

    /** Waits until {@code /q/health/ready} (management port) answers 200 (database and Kafka checks included). */
    public void awaitReady(Service s, Duration timeout) {
        s.packaged.awaitReady(timeout);
        Bench.log(s.name + " is ready (pid " + s.pid() + ")");
    }

    /** The JVM options the services get. */
    public String childJvmOpts() {
        return childJvmOpts;
    }

    public LocalPostgres postgres() {
        return starter.postgres();
    }

    /** A connection of the benchmark itself to the registry's schema, named {@code bench} in pg_stat_activity. */
    public Connection connect() throws SQLException {
        java.util.Properties props = new java.util.Properties();
        LocalPostgres postgres = starter.postgres();
        props.setProperty("user", postgres.username());
        props.setProperty("password", postgres.password());
        props.setProperty("ApplicationName", "bench");
        return DriverManager.getConnection(ServiceEnv.registryJdbcUrl(postgres.jdbcUrl()), props);
    }

    /** Stops PostgreSQL only (e.g. to restart it with other settings). */
    public void stopPostgres() {
        starter.stopPostgres();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        starter.stopServices();
        stopKafkaProcess(false);
        starter.close();
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
    public static PackagedService.StopResult stop(Service s, long graceSeconds) {
        if (!s.process.isAlive()) {
            return new PackagedService.StopResult(0, true);
        }
        Bench.log("stopping " + s.name + " (pid " + s.pid() + ")");
        return s.packaged.stop(Duration.ofSeconds(graceSeconds));
    }

    /** SIGKILL, and waits until the process is gone. */
    public static void kill(Service s) {
        Bench.log("SIGKILL " + s.name + " (pid " + s.pid() + ")");
        s.packaged.kill();
    }
}
