package dev.tgregistry.bench.faults;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.generate.Names;
import dev.tgregistry.bench.ingest.IngestClient;
import dev.tgregistry.bench.ingest.Updates;
import dev.tgregistry.bench.report.Ledger;
import dev.tgregistry.bench.stack.Db;
import dev.tgregistry.bench.stack.Partitions;
import dev.tgregistry.bench.stack.Stack;
import dev.tgregistry.localstack.KafkaTopics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What the fault suite's scenarios share while it runs: the stack and its two services (replaced when a scenario
 * kills one), the clients, the results table, and the waits every scenario uses.
 */
final class FaultRig implements AutoCloseable {

    static final int PARTITIONS = 3;
    private static final long STREAM_BASE = 9_400_000_000L;
    private static final long PROBE_BASE = 9_500_000_000L;
    static final long PROBE_WAIT_MS = 600_000;

    final Stack stack;
    final Path pgDir;
    final Path kafkaDir;
    final Map<String, String> kafkaSettings = Map.of("auto.create.topics.enable", "false");
    final long canaryWaitMs;
    final long settleMs;
    final FaultTable table = new FaultTable();
    final List<String> findings = new ArrayList<>();
    Stack.Service userService;
    Stack.Service botIngest;
    IngestClient ingest;
    Db db;
    DeadLetterWatch deadLetters;
    private KafkaProducer<String, byte[]> producer;
    private long probeIds = PROBE_BASE;
    private int streamIndex;

    FaultRig(Stack stack, Path data, long canaryWaitMs, long settleMs) {
        this.stack = stack;
        this.pgDir = data.resolve("postgres");
        this.kafkaDir = data.resolve("kafka");
        this.canaryWaitMs = canaryWaitMs;
        this.settleMs = settleMs;
    }

    /** PostgreSQL, Kafka (auto-creation off, the source topics and, if asked, the .dlq topics created), both services. */
    void start(List<String> topics, List<String> deadLetterTopics) throws Exception {
        stack.startPostgres(pgDir, Map.of());
        stack.startKafkaProcess(kafkaDir, kafkaSettings);
        createTopics(topics);
        if (!deadLetterTopics.isEmpty()) {
            createTopics(deadLetterTopics);
        }
        userService = stack.startUserService();
        botIngest = stack.startBotIngest();
        stack.awaitReady(userService, Duration.ofSeconds(180));
        stack.awaitReady(botIngest, Duration.ofSeconds(180));
        ingest = new IngestClient(botIngest.baseUrl());
        db = new Db(stack);
        deadLetters = new DeadLetterWatch(stack.bootstrapServers());
        producer = producer(stack.bootstrapServers());
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (deadLetters != null) {
            deadLetters.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** First user id of the next load stream (a million ids each). */
    long nextStreamBase() {
        return STREAM_BASE + 1_000_000L * streamIndex++;
    }

    int streamIndex() {
        return streamIndex;
    }

    /** A fresh probe user: the next id, or the next one on {@code partition} of {@code partitions} when given. */
    long nextProbeUser(int partition, int partitions) {
        long user = partitions == 1 ? probeIds++ : Partitions.userOn(partition, partitions, probeIds);
        probeIds = Math.max(probeIds, user + 1);
        return user;
    }

    void ensureServicesUp() {
        try {
            if (!userService.process.isAlive()) {
                findings.add("user-service had exited before a scenario (see its log); restarted");
                userService = stack.startUserService();
                stack.awaitReady(userService, Duration.ofSeconds(180));
            }
            if (!botIngest.process.isAlive()) {
                findings.add("bot-ingest had exited before a scenario (see its log); restarted");
                botIngest = stack.startBotIngest();
                stack.awaitReady(botIngest, Duration.ofSeconds(180));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    IngestClient.Answer postRetryingUnavailable(String path, byte[] body) {
        IngestClient.Answer a = ingest.post(path, body);
        for (int attempt = 1; attempt < 10 && (a.status() == 503 || a.status() < 0); attempt++) {
            Bench.sleep(1000);
            a = ingest.post(path, body);
        }
        return a;
    }

    boolean awaitVisible(Poisons.Check check, long timeoutMs) {
        return Bench.await(() -> {
            try {
                return db.run(c -> exists(c, check), 5000);
            } catch (IllegalStateException unavailable) {
                return false;
            }
        }, timeoutMs, 50);
    }

    boolean isVisible(Poisons.Check check) {
        return db.run(conn -> exists(conn, check));
    }

    private static boolean exists(Connection c, Poisons.Check check) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (" + check.sql() + ")")) {
            for (int i = 0; i < check.params().size(); i++) {
                ps.setObject(i + 1, check.params().get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Sends a sighting of a new user (repeated like a bot until 202) and returns seconds from {@code since} until visible. */
    double probe(long user, long since) {
        byte[] body = Updates.batch(new Names(user), user, user, 1, Instant.now().getEpochSecond());
        long giveUp = System.currentTimeMillis() + LoadStream.GIVE_UP_MS;
        while (!ingest.post(Poisons.TELEGRAM, body).accepted()) {
            if (System.currentTimeMillis() > giveUp) {
                return Double.POSITIVE_INFINITY;
            }
            Bench.sleep(500);
        }
        // long enough for a restart on a busy machine; "never" must mean the pipeline did not come back
        return awaitVisible(Poisons.user(user), PROBE_WAIT_MS) ? (System.nanoTime() - since) / 1e9 : Double.POSITIVE_INFINITY;
    }

    /** Waits until every acknowledged record of the ledger is visible, or {@code settleMs}; returns the last check. */
    Ledger.Result settle(Ledger ledger) {
        long deadline = System.currentTimeMillis() + settleMs;
        Ledger.Result r;
        while (true) {
            r = db.run(ledger::check, 600_000);
            if (r.missing() == 0 || System.currentTimeMillis() > deadline) {
                return r;
            }
            Bench.sleep(1000);
        }
    }

    /** Creates topics, trying again when a busy broker times the request out (existing topics are kept). */
    private void createTopics(List<String> names) {
        for (int attempt = 1; ; attempt++) {
            try {
                KafkaTopics.create(stack.bootstrapServers(), PARTITIONS, names.toArray(String[]::new));
                return;
            } catch (IllegalStateException e) {
                if (attempt == 10) {
                    throw e;
                }
                Bench.log("creating topics failed (" + e.getMessage() + "), trying again");
                Bench.sleep(2000);
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_040_000);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-faults-direct");
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** Writes the values in one producer batch (sent together, then flushed) and returns where they landed. */
    List<RecordMetadata> produce(String topic, String key, List<byte[]> values) throws Exception {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (byte[] v : values) {
            sends.add(producer.send(new ProducerRecord<>(topic, key, v)));
        }
        producer.flush();
        List<RecordMetadata> out = new ArrayList<>();
        for (Future<RecordMetadata> f : sends) {
            out.add(f.get(30, TimeUnit.SECONDS));
        }
        return out;
    }
}
