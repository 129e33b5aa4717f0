package dev.tgregistry.bench.stack;

import dev.tgregistry.bench.Bench;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * End-to-end completion by Kafka offsets (bench/README.md, "bench/run ingest", (e)): user-service commits an offset
 * only after the database transaction of its batch committed, so "committed == end" means every record produced so
 * far is in PostgreSQL.
 */
public final class OffsetWatch implements AutoCloseable {

    /** A consumer group and the topic it consumes. */
    public record Subscription(String group, String topic) {
    }

    private final Admin admin;

    public OffsetWatch(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "bench-offset-watch");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        admin = Admin.create(config);
    }

    /** Records not yet committed by the group: the sum over the topic's partitions of end − committed (≥ 0). */
    public static long lag(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> end) {
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            lag += Math.max(0, e.getValue() - committed.getOrDefault(e.getKey(), 0L));
        }
        return lag;
    }

    /** True when every partition of {@code end} has a committed offset at least as far (empty partitions need none). */
    static boolean caughtUp(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> end) {
        return !end.isEmpty() && lag(committed, end) == 0;
    }

    /** End offsets (the next offset to be written) of every partition of {@code topic}. */
    public Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        var description = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answer =
                admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> end = new LinkedHashMap<>();
        answer.forEach((tp, info) -> end.put(tp, info.offset()));
        return end;
    }

    /** The group's committed offsets on {@code topic} (partitions without a commit are absent). */
    Map<TopicPartition, Long> committed(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> all = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        all.forEach((tp, om) -> {
            if (om != null && tp.topic().equals(topic)) {
                out.put(tp, om.offset());
            }
        });
        return out;
    }

    public long lag(Subscription s) throws Exception {
        return lag(committed(s.group(), s.topic()), endOffsets(s.topic()));
    }

    /**
     * Polls every 100 ms until every subscription is caught up. End offsets are read only once {@code producing}
     * says production is over (until then the target still moves). Returns System.nanoTime() of the poll that saw
     * completion, or -1 after {@code stallSeconds} without progress.
     */
    public long awaitCaughtUp(List<Subscription> subs, BooleanSupplier producing, int stallSeconds) throws Exception {
        long lastLag = -1;
        long progressAt = System.nanoTime();
        long lastLog = progressAt;
        while (true) {
            long now = System.nanoTime();
            boolean done = !producing.getAsBoolean();
            long lag = 0;
            for (Subscription s : subs) {
                lag += lag(s);
            }
            if (done && lag == 0) {
                return now;
            }
            if (lag != lastLag) {
                lastLag = lag;
                progressAt = now;
            } else if (done && now - progressAt > stallSeconds * 1_000_000_000L) {
                Bench.log("  consumer lag stuck at " + lag + " for " + stallSeconds + " s; giving up");
                return -1;
            }
            if (now - lastLog > 5_000_000_000L) {
                lastLog = now;
                Bench.log(String.format(Locale.ROOT, "  consumer lag %,d records%s", lag, done ? "" : " (still producing)"));
            }
            Bench.sleep(100);
        }
    }

    /** Raises the partition count of each topic to {@code partitions} (topics that already have as many are left alone). */
    public void ensurePartitions(int partitions, List<String> topics) throws Exception {
        var described = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
        Map<String, org.apache.kafka.clients.admin.NewPartitions> grow = new LinkedHashMap<>();
        described.forEach((name, d) -> {
            if (d.partitions().size() < partitions) {
                grow.put(name, org.apache.kafka.clients.admin.NewPartitions.increaseTo(partitions));
            }
        });
        if (!grow.isEmpty()) {
            admin.createPartitions(grow).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Members of a consumer group that have partitions assigned. */
    public int assignedMembers(String group) throws Exception {
        var d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
        return (int) d.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
    }

    @Override
    public void close() {
        admin.close();
    }
}
