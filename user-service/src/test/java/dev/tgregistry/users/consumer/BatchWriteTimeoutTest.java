package dev.tgregistry.users.consumer;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.inject.Inject;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A write attempt that never answers (a connection stuck while PostgreSQL restarts) must not hold its partition. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class BatchWriteTimeoutTest {
    @Inject
    DeadLetters deadLetters;
    @Inject
    Stopping stopping;
    @Inject
    MeterRegistry metrics;
    @Inject
    BatchTracing tracing;

    @Test
    void anAttemptWithoutAnswerIsRetriedAndTheBatchCompletes() {
        BatchProcessor processor = new BatchProcessor(deadLetters, stopping, metrics, tracing,
                Duration.ofSeconds(1), Duration.ofMillis(300));
        AtomicInteger attempts = new AtomicInteger();
        List<List<BotEvent>> written = new CopyOnWriteArrayList<>();
        BotEvent event = new BotEvent(1, "evt-timeout-1", 701L, "start_command", null, Instant.now(), null);
        AckedBatch batch = new AckedBatch(KafkaRecord.of(Topics.BOT_EVENTS, "701", RecordJson.write(event)));

        processor.process(batch, BotEvent.class, events -> attempts.incrementAndGet() == 1
                        ? Uni.createFrom().nothing()
                        : Uni.createFrom().voidItem().invoke(() -> written.add(events)))
                .await().atMost(Duration.ofSeconds(20));

        assertEquals(2, attempts.get(), "the silent attempt was abandoned and the batch written again");
        assertEquals(List.of(List.of(event.eventId())), written.stream().map(l -> l.stream().map(BotEvent::eventId).toList()).toList());
        assertTrue(batch.acked.get(), "the batch is acknowledged once written");
    }

    /** One record, acknowledged in memory. */
    private static final class AckedBatch implements KafkaRecordBatch<String, String> {
        final AtomicBoolean acked = new AtomicBoolean();
        private final List<KafkaRecord<String, String>> records;

        AckedBatch(KafkaRecord<String, String> record) {
            this.records = List.of(record);
        }

        @Override
        public List<KafkaRecord<String, String>> getRecords() {
            return records;
        }

        @Override
        public Map<TopicPartition, KafkaRecord<String, String>> getLatestOffsetRecords() {
            return Map.of();
        }

        @Override
        public List<String> getPayload() {
            return records.stream().map(KafkaRecord::getPayload).toList();
        }

        @Override
        public Iterator<KafkaRecord<String, String>> iterator() {
            return records.iterator();
        }

        @Override
        public CompletionStage<Void> ack() {
            acked.set(true);
            return CompletableFuture.completedFuture(null);
        }
    }
}
