package dev.tgregistry.bench.faults;

import dev.tgregistry.bench.Bench;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Reads every {@code *.dlq} topic from its beginning in the background (subscribed by pattern, so a DLQ topic
 * created later by the service is picked up within a second). Keeps what the suite needs of each record.
 */
final class DeadLetterWatch implements AutoCloseable {

    /** A dead letter: its key, the headers the service set (null when absent) and the size of its value. */
    record DeadLetter(String dlqTopic, String key, String reason, String sqlstate, String sourceTopic,
                      String sourcePartition, String sourceOffset, int valueBytes) {
        boolean hasReason() {
            return reason != null && !reason.isBlank();
        }
    }

    private final List<DeadLetter> seen = new ArrayList<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    DeadLetterWatch(String bootstrapServers) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-faults-dlq-watch-" + ProcessHandle.current().pid());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 << 20));
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(Pattern.compile(".*\\.dlq"));
        thread = Bench.daemon("bench-dlq-watch", this::run);
    }

    private void run() {
        try {
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        DeadLetter d = new DeadLetter(r.topic(), r.key(), header(r, "dead-letter-reason"),
                                header(r, "dead-letter-sqlstate"), header(r, "dead-letter-topic"),
                                header(r, "dead-letter-partition"), header(r, "dead-letter-offset"),
                                r.value() == null ? 0 : r.value().length);
                        synchronized (seen) {
                            seen.add(d);
                        }
                    }
                } catch (WakeupException e) {
                    return;
                } catch (RuntimeException e) {
                    // broker away (the Kafka outage scenario): try again
                    Bench.sleep(500);
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Dead letters whose key is one of {@code keys}. */
    List<DeadLetter> withKeys(java.util.Collection<String> keys) {
        synchronized (seen) {
            return seen.stream().filter(d -> d.key() != null && keys.contains(d.key())).toList();
        }
    }

    int count() {
        synchronized (seen) {
            return seen.size();
        }
    }

    List<DeadLetter> since(int index) {
        synchronized (seen) {
            return new ArrayList<>(seen.subList(Math.min(index, seen.size()), seen.size()));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        Bench.join(thread, 5000);
    }
}
