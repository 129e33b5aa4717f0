// One class of over 300 lines: one embedded KRaft broker (controller and broker in one process) with its configuration, start-up
// checks, topic defaults and shutdown; the pieces only make sense together and are used by tests, ./run-local and bench.
package dev.tgregistry.localstack;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A single-node Kafka 4 cluster (KRaft, broker and controller in one node) running inside this JVM.
 *
 * <p>Listeners: {@code PLAINTEXT://127.0.0.1:port} (advertised the same way) for clients and
 * {@code CONTROLLER://127.0.0.1:controllerPort} for the KRaft quorum (a static single voter, node id 1).
 * Replication factors and min ISR are 1, topics are auto-created with {@code num.partitions=3}, consumer groups
 * start without the initial rebalance delay. Flush settings are Kafka's defaults (rely on the page cache).
 *
 * <p>{@code logDir == null}: a temporary directory deleted on {@link #close()}. Otherwise the directory is
 * formatted on first use (random cluster id) and reused, with its topics and offsets, afterwards.
 *
 * <p>{@link #startSaslSsl}: the client listener is {@code SASL_SSL} (SCRAM-SHA-512) instead ({@link KafkaSaslSsl}).
 */
public final class LocalKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);

    public static final int NODE_ID = 1;
    public static final String CONTROLLER_LISTENER = "CONTROLLER";
    public static final String BROKER_LISTENER = "PLAINTEXT";
    public static final String HOST = "127.0.0.1";

    /**
     * Broker settings applied unless overridden. Besides the single-node replication settings:
     * 5 partitions (instead of 50) for the internal offsets/transaction topics, and a 16 MiB log-cleaner dedupe
     * buffer (instead of 128 MiB allocated on the heap at startup), so that the broker is cheap inside a test JVM.
     */
    public static final Map<String, String> DEFAULT_SETTINGS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("num.partitions", "3");
        d.put("auto.create.topics.enable", "true");
        d.put("offsets.topic.replication.factor", "1");
        d.put("offsets.topic.num.partitions", "5");
        d.put("transaction.state.log.replication.factor", "1");
        d.put("transaction.state.log.min.isr", "1");
        d.put("transaction.state.log.num.partitions", "5");
        d.put("share.coordinator.state.topic.replication.factor", "1");
        d.put("share.coordinator.state.topic.min.isr", "1");
        d.put("min.insync.replicas", "1");
        d.put("default.replication.factor", "1");
        d.put("group.initial.rebalance.delay.ms", "0");
        d.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        DEFAULT_SETTINGS = Collections.unmodifiableMap(d);
    }

    private static final int START_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final int port;
    private final Path logDir;
    private final boolean temporary;
    private final int defaultPartitions;
    private final Map<String, Object> clientConfig;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private LocalKafka(KafkaRaftServer server, int port, Path logDir, boolean temporary,
                       int defaultPartitions, KafkaSaslSsl security) {
        this.server = server;
        this.port = port;
        this.logDir = logDir;
        this.temporary = temporary;
        this.defaultPartitions = defaultPartitions;
        this.clientConfig = security == null ? Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers())
                : security.brokerClientConfig(bootstrapServers());
        this.shutdownHook = new Thread(this::closeAtExit, "local-kafka-shutdown-" + port);
        Util.addShutdownHook(shutdownHook);
    }

    /** Same as {@link #start(int, Path, Map)} with {@link #DEFAULT_SETTINGS}. */
    public static LocalKafka start(int port, Path logDir) {
        return start(port, logDir, Map.of());
    }

    /**
     * Formats (if needed) and starts the node, and returns once a client can talk to the broker.
     *
     * @param port      client port on 127.0.0.1, 0 = any free port
     * @param logDir    data directory to create or reuse; {@code null} = temporary, deleted on close
     * @param overrides broker settings merged over {@link #DEFAULT_SETTINGS} (e.g. {@code num.partitions})
     * @throws IllegalStateException when the broker cannot be started
     */
    public static LocalKafka start(int port, Path logDir, Map<String, String> overrides) {
        return start(port, logDir, overrides, null);
    }

    /**
     * Like {@link #start(int, Path, Map)} with {@link #DEFAULT_SETTINGS}, but the only client listener is
     * {@code SASL_SSL} as {@code security} describes (its SCRAM users are created when {@code logDir} is formatted).
     */
    public static LocalKafka startSaslSsl(int port, Path logDir, KafkaSaslSsl security) {
        return start(port, logDir, Map.of(), security);
    }

    private static LocalKafka start(int port, Path logDir, Map<String, String> overrides, KafkaSaslSsl security) {
        Util.requirePortFree(port, "Kafka");
        boolean temporary = logDir == null;
        Path dir;
        try {
            dir = temporary ? Files.createTempDirectory("local-kafka-") : logDir.toAbsolutePath().normalize();
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("Kafka: cannot create log directory " + logDir + ": " + e, e);
        }
        Map<String, String> settings = new LinkedHashMap<>(DEFAULT_SETTINGS);
        if (overrides != null) {
            settings.putAll(overrides);
        }
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int brokerPort = port == 0 ? Util.freePort() : port;
            int controllerPort = Util.freePort();
            while (controllerPort == brokerPort) {
                controllerPort = Util.freePort();
            }
            try {
                return startOnce(brokerPort, controllerPort, dir, temporary, settings, security);
            } catch (RuntimeException e) {
                last = e;
                LOG.warn("Kafka start attempt {} on ports {}/{} failed: {}", attempt, brokerPort, controllerPort,
                        e.toString());
                // a fixed client port that is taken will not get better; retry only races on picked ports
                if (port != 0 && !Util.portIsFree(port)) {
                    break;
                }
            }
        }
        if (temporary) {
            Util.deleteRecursively(dir);
        }
        throw new IllegalStateException("Kafka failed to start (log dir " + dir + "): " + Util.rootMessage(last), last);
    }

    private static LocalKafka startOnce(int port, int controllerPort, Path dir, boolean temporary,
                                        Map<String, String> settings, KafkaSaslSsl security) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        if (security == null) {
            props.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + port + ","
                    + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
            props.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + port);
            props.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
            props.put("inter.broker.listener.name", BROKER_LISTENER);
        } else {
            props.putAll(security.brokerSettings(port, controllerPort));
        }
        props.put("log.dirs", dir.toString());
        props.putAll(settings);

        KafkaConfig config = new KafkaConfig(props, false);
        formatIfNeeded(dir, security == null ? List.of() : security.scramArguments());

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            shutdownQuietly(server);
            throw e;
        }
        int partitions = Integer.parseInt(settings.getOrDefault("num.partitions", "1"));
        LocalKafka kafka = new LocalKafka(server, port, dir, temporary, partitions, security);
        try {
            kafka.awaitReady(60_000);
        } catch (RuntimeException e) {
            kafka.removeShutdownHook();
            shutdownQuietly(server);
            throw e;
        }
        LOG.info("Kafka listening on {} (controller {}:{}, log dir {})", kafka.bootstrapServers(), HOST,
                controllerPort, dir);
        return kafka;
    }

    private static void formatIfNeeded(Path dir, List<String> scramArguments) {
        if (Files.exists(dir.resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(ps)
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(dir.toString())
                    .addDirectory(dir.toString())
                    .setScramArguments(scramArguments)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Kafka: formatting " + dir + " failed: " + e.getMessage()
                    + " " + out.toString(StandardCharsets.UTF_8).trim(), e);
        }
        LOG.debug("formatted {}: {}", dir, out.toString(StandardCharsets.UTF_8).trim());
    }

    private void awaitReady(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        Exception last = null;
        try (Admin admin = Admin.create(adminConfig())) {
            while (System.currentTimeMillis() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
                }
                Util.sleep(100);
            }
        }
        throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " did not answer within "
                + timeoutMillis + " ms" + (last == null ? "" : ": " + Util.rootMessage(last)), last);
    }

    // ------------------------------------------------------------------------------------------ accessors

    /** {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path logDir() {
        return logDir;
    }

    /**
     * Minimal client config to build producers, consumers and admin clients on: {@code bootstrap.servers}, and for a
     * {@code SASL_SSL} broker the security settings of its own user.
     */
    public Map<String, Object> clientConfig() {
        return new LinkedHashMap<>(clientConfig);
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> m = KafkaTopics.adminConfig(bootstrapServers());
        m.putAll(clientConfig);
        return m;
    }

    /** Creates topics with the default partition count and replication factor 1; existing ones are left alone. */
    public void createTopics(String... names) {
        KafkaTopics.create(adminConfig(), defaultPartitions, names);
    }

    /** Unregisters the JVM shutdown hook, for callers that stop things in their own order. */
    public void removeShutdownHook() {
        Util.removeShutdownHook(shutdownHook);
    }

    /** Shuts the node down (controlled shutdown) and deletes a temporary log directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        shutdownQuietly(server);
        if (temporary) {
            Util.deleteRecursively(logDir);
        }
        Util.removeShutdownHook(shutdownHook);
    }

    @Override
    public String toString() {
        return "LocalKafka[" + bootstrapServers() + ", logDir=" + logDir + "]";
    }

    // ------------------------------------------------------------------------------------------ internals

    private void closeAtExit() {
        try {
            close();
        } catch (Throwable t) {
            // the broker's threads die with the JVM anyway; just do not leave a temp dir behind
            if (temporary) {
                Util.deleteRecursively(logDir);
            }
        }
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Kafka shutdown: {}", e.toString());
        }
    }
}
