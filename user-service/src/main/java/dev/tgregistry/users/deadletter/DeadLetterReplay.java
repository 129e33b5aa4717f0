package dev.tgregistry.users.deadletter;

import dev.tgregistry.model.Topics;
import dev.tgregistry.users.consumer.DeadLetters;
import dev.tgregistry.users.consumer.KafkaClientConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Re-publishes the dead letters of a topic to the topic itself, after the producer or the schema was fixed. The
 * consumer group {@value #GROUP} remembers how far replays got, so each dead letter is replayed once; one that
 * fails again is dead-lettered again, after the current end, and waits for the next replay. Blocking: run it on a
 * worker thread.
 */
@ApplicationScoped
public class DeadLetterReplay {
    static final String GROUP = "user-service.dead-letter-replay";
    public static final String REPLAYED_FROM = "replayed-from";
    private static final Logger LOG = Logger.getLogger(DeadLetterReplay.class);
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final Map<String, Object> kafkaConfig;

    public DeadLetterReplay(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.kafkaConfig = kafkaConfig;
    }

    public record Result(String topic, String deadLetterTopic, int replayed, int skippedWithoutPayload) {
    }

    public Result replay(String topic, int limit) {
        String dlq = Topics.deadLetterOf(topic);
        int replayed = 0;
        int skipped = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo partition : consumer.partitionsFor(dlq, Duration.ofSeconds(10))) {
                partitions.add(new TopicPartition(dlq, partition.partition()));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            Instant deadline = Instant.now().plus(DEADLINE);
            while (replayed + skipped < limit && !caughtUp(consumer, end) && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> letter : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition = new TopicPartition(letter.topic(), letter.partition());
                    if (letter.offset() >= end.get(partition) || replayed + skipped >= limit) {
                        continue;
                    }
                    if (letter.headers().lastHeader(DeadLetters.PAYLOAD_OMITTED) != null) {
                        skipped++;
                    } else {
                        sends.add(producer.send(republished(topic, letter)));
                        replayed++;
                    }
                    done.put(partition, new OffsetAndMetadata(letter.offset() + 1));
                }
            }
            producer.flush();
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
            consumer.commitSync(done);
        } catch (ExecutionException failure) {
            throw new IllegalStateException("re-publishing to " + topic + " failed: " + failure.getCause().getMessage(), failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", interrupted);
        }
        LOG.infof("Replayed %d dead letters of %s to %s (%d without payload skipped)", replayed, dlq, topic, skipped);
        return new Result(topic, dlq, replayed, skipped);
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static ProducerRecord<byte[], byte[]> republished(String topic, ConsumerRecord<byte[], byte[]> letter) {
        RecordHeaders headers = new RecordHeaders();
        String origin = letter.topic() + "/" + letter.partition() + "/" + letter.offset();
        headers.add(REPLAYED_FROM, origin.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, letter.key(), letter.value(), headers);
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = KafkaClientConfig.only(kafkaConfig, ConsumerConfig.configNames());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = KafkaClientConfig.only(kafkaConfig, ProducerConfig.configNames());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }
}
