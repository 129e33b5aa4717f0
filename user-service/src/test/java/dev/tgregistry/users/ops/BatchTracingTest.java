package dev.tgregistry.users.ops;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.Topics;
import dev.tgregistry.model.UserSeen;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A consumed batch is one trace of its own, linked to the producer span its records carry in {@code traceparent}
 * (bot-ingest's publish span), with the database write as a child span. User ids 7_941_000_001..7_941_000_099.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class BatchTracingTest {
    @Inject
    CollectedSpans spans;

    @Test
    void batchSpanLinksToTheProducerAndParentsTheWrite() {
        String producerTrace = "0af7651916cd43dd8448eb211c80319c";
        String producerSpan = "b7ad6b7169203331";
        UserSeen sighting = UserSeen.of(new TelegramUser(7_941_000_001L, false, "traced_user", "Traced", null, null, null),
                Instant.parse("2026-05-01T10:00:00Z"), null, null);
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.USER_SEEN, sighting.key(), RecordJson.write(sighting));
        record.headers().add("traceparent", ("00-" + producerTrace + "-" + producerSpan + "-01").getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(record);
        }

        SpanData batch = await().atMost(Duration.ofSeconds(20)).until(() -> batchLinkedTo(producerTrace, producerSpan), Optional::isPresent).get();
        assertEquals(SpanKind.CONSUMER, batch.getKind());
        assertEquals(Topics.USER_SEEN + " process", batch.getName());
        assertTrue(!batch.getTraceId().equals(producerTrace), "the batch is a trace of its own, linked (not a child)");

        SpanData write = await().atMost(Duration.ofSeconds(10)).until(() -> spans.ended().stream()
                .filter(span -> span.getParentSpanId().equals(batch.getSpanId())).findFirst(), Optional::isPresent).get();
        assertEquals("write " + Topics.USER_SEEN, write.getName());
        assertEquals(batch.getTraceId(), write.getTraceId());
        assertEquals("postgresql", write.getAttributes().asMap().entrySet().stream()
                .filter(e -> e.getKey().getKey().equals("db.system.name")).map(e -> String.valueOf(e.getValue())).findFirst().orElse(null));
    }

    private Optional<SpanData> batchLinkedTo(String traceId, String spanId) {
        return spans.ended().stream().filter(span -> span.getLinks().stream().anyMatch(link ->
                link.getSpanContext().getTraceId().equals(traceId) && link.getSpanContext().getSpanId().equals(spanId))).findFirst();
    }
}
