package dev.tgregistry.localstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalKafkaTest {

    @Test
    void produceAndConsumeWithIdempotentProducer() throws Exception {
        Path logDir;
        try (LocalKafka kafka = LocalKafka.start(0, null)) {
            logDir = kafka.logDir();
            assertTrue(kafka.bootstrapServers().startsWith("127.0.0.1:"));
            kafka.createTopics("users.events");
            kafka.createTopics("users.events"); // existing topics are fine

            try (Admin admin = Admin.create(kafka.clientConfig())) {
                assertEquals(3, admin.describeTopics(List.of("users.events")).allTopicNames()
                        .get(10, TimeUnit.SECONDS).get("users.events").partitions().size());
            }

            Map<String, Object> pc = kafka.clientConfig();
            pc.put(ProducerConfig.ACKS_CONFIG, "all");
            pc.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            RecordMetadata md;
            try (KafkaProducer<String, String> producer =
                         new KafkaProducer<>(pc, new StringSerializer(), new StringSerializer())) {
                md = producer.send(new ProducerRecord<>("users.events", "42", "hello")).get(30, TimeUnit.SECONDS);
            }

            Map<String, Object> cc = kafka.clientConfig();
            cc.put(ConsumerConfig.GROUP_ID_CONFIG, "local-kafka-test");
            cc.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer =
                         new KafkaConsumer<>(cc, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("users.events"));
                long deadline = System.currentTimeMillis() + 30_000;
                while (got.isEmpty() && System.currentTimeMillis() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                }
                consumer.commitSync();
            }
            assertEquals(1, got.size());
            assertEquals("42", got.get(0).key());
            assertEquals("hello", got.get(0).value());
            assertEquals(md.partition(), got.get(0).partition());
        }
        assertFalse(Files.exists(logDir), "temporary log dir is deleted on close");
    }
}
