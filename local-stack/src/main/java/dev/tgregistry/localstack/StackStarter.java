package dev.tgregistry.localstack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one start sequence of the system on this machine, shared by {@code ./run-local} (local-run's launcher), the
 * benchmarks and the ITs that run the packaged services: {@link LocalPostgres} (database {@value #DATABASE}),
 * {@link LocalKafka} in this JVM (or a broker the caller runs, {@link #useKafka}), and the packaged services as child
 * processes with a local run's environment and JVM options. {@link #close()} stops what it started in order: the
 * services newest first (SIGTERM, {@link #CHILD_STOP_GRACE}, then kill), Kafka, PostgreSQL.
 */
public final class StackStarter implements AutoCloseable {
    /**
     * JVM options of each service (the JVM's default heap here would be a quarter of 24 GiB): the parent pom's
     * {@code service.java-options}, which the images use too, through the filtered resource
     * {@code service-jvm.properties}.
     */
    public static final String SERVICE_JVM_OPTS = ServiceEnv.jvmOptions();
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
    /** user-service's API keys unless {@code APP_API_KEYS} is set: {@code k8s/overlays/dev/dev-api-keys.env}. */
    public static final String DEFAULT_API_KEYS = DevApiKeys.setting();
    /** The first of them, the one with every right (README's examples, CI's smoke test, the benchmarks). */
    public static final String DEFAULT_API_KEY = DevApiKeys.firstKey(DEFAULT_API_KEYS);
    /** The pagination cursors' signing key of a local run (user-service's %dev key); production sets its own. */
    public static final String DEFAULT_CURSOR_KEYS = "dev-cursor-key-0123456789abcdefghijklmnop";
    public static final String DEFAULT_INGEST_SECRET = "dev-ingest-secret";
    /** Above the services' quarkus.shutdown.timeout (10 s). */
    public static final Duration CHILD_STOP_GRACE = Duration.ofSeconds(20);

    private final Path workDir;
    private final String childJvmOpts;
    private final Consumer<String> log;
    private final List<PackagedService> children = new ArrayList<>();
    private volatile LocalPostgres postgres;
    private volatile LocalKafka kafka;
    private volatile String bootstrapServers;

    /**
     * @param workDir      the services' working directory (the repository root)
     * @param childJvmOpts the services' JVM options (e.g. {@link #SERVICE_JVM_OPTS})
     * @param log          where the stop sequence reports each step
     */
    public StackStarter(Path workDir, String childJvmOpts, Consumer<String> log) {
        this.workDir = workDir;
        this.childJvmOpts = childJvmOpts;
        this.log = log;
    }

    /** @param dataDir PGDATA to create or reuse, {@code null} for a temporary one deleted on close */
    public LocalPostgres startPostgres(int port, Path dataDir, Map<String, String> settings) {
        postgres = LocalPostgres.start(port, dataDir, DATABASE, settings);
        return postgres;
    }

    /** Kafka in this JVM; creates {@code topics} up front (what a deployment does) when given. */
    public LocalKafka startKafka(int port, Path logDir, String... topics) {
        kafka = LocalKafka.start(port, logDir);
        if (topics.length > 0) {
            kafka.createTopics(topics);
        }
        bootstrapServers = kafka.bootstrapServers();
        return kafka;
    }

    /** The services connect to a broker the caller runs (and stops) itself. */
    public void useKafka(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public LocalPostgres postgres() {
        return postgres;
    }

    public LocalKafka kafka() {
        return kafka;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** user-service's environment against this stack's PostgreSQL and Kafka. */
    public Map<String, String> userServiceEnv(String apiKeys, String cursorKeys) {
        return userServiceEnv(ServiceEnv.database(postgres), bootstrapServers, apiKeys, cursorKeys);
    }

    /** user-service's environment against the given database settings ({@link ServiceEnv#database}) and broker. */
    public static Map<String, String> userServiceEnv(Map<String, String> database, String bootstrapServers, String apiKeys,
            String cursorKeys) {
        Map<String, String> env = new LinkedHashMap<>(database);
        env.putAll(ServiceEnv.kafka(bootstrapServers));
        env.put(ServiceEnv.APP_API_KEYS, apiKeys);
        env.put(ServiceEnv.APP_CURSOR_KEYS, cursorKeys);
        return env;
    }

    /** bot-ingest's environment against this stack's Kafka. */
    public Map<String, String> botIngestEnv(String ingestSecret) {
        Map<String, String> env = new LinkedHashMap<>(ServiceEnv.kafka(bootstrapServers));
        env.put(ServiceEnv.APP_INGEST_SECRET, ingestSecret);
        return env;
    }

    /** A service from {@code jar} with a local run's working directory, JVM options and environment defaults. */
    public PackagedService.Builder service(String name, Path jar) {
        return PackagedService.builder(name, jar).workDir(workDir).jvmOptions(childJvmOpts)
                .envDefaults(SERVICE_ENV).envDefaults(LOCAL_CONVENIENCES);
    }

    /** Starts the service; {@link #close()} stops it. */
    public PackagedService start(PackagedService.Builder builder) throws IOException {
        PackagedService child = builder.start();
        synchronized (children) {
            children.add(child);
        }
        return child;
    }

    /** Stops the services, newest first. */
    public void stopServices() {
        List<PackagedService> toStop;
        synchronized (children) {
            toStop = new ArrayList<>(children);
        }
        for (int i = toStop.size() - 1; i >= 0; i--) {
            stop(toStop.get(i));
        }
    }

    private void stop(PackagedService child) {
        if (!child.process().isAlive()) {
            return;
        }
        log.accept("stopping " + child.name() + " (pid " + child.pid() + ")");
        if (!child.stop(CHILD_STOP_GRACE).exitedOnItsOwn()) {
            log.accept(child.name() + " was still running after " + CHILD_STOP_GRACE.toSeconds() + " s and was killed");
        }
    }

    /** Stops PostgreSQL only (e.g. to start it again with other settings). */
    public void stopPostgres() {
        LocalPostgres pg = postgres;
        if (pg != null) {
            log.accept("stopping PostgreSQL");
            pg.close();
            postgres = null;
        }
    }

    /** Idempotent: the services, then Kafka (if started here), then PostgreSQL. */
    @Override
    public void close() {
        stopServices();
        LocalKafka k = kafka;
        if (k != null) {
            kafka = null;
            log.accept("stopping Kafka");
            try {
                k.close();
            } catch (RuntimeException e) {
                log.accept("Kafka shutdown failed: " + e);
            }
        }
        stopPostgres();
    }
}
