package dev.tgregistry.ingest.publish;

import dev.tgregistry.ingest.IngestConfig;
import dev.tgregistry.web.RequestLimits;
import org.apache.kafka.common.errors.RecordTooLargeException;

import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.RegistryRecord;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes a request's records to Kafka and completes only when the broker acknowledged every one of them
 * (the producer of channel {@code records-out} runs with acks=all and idempotence, see application.properties).
 * The whole request is handed to the producer's sending thread at once, in order, rather than message by
 * message through an emitter: per-message reactive plumbing was a large share of bot-ingest's CPU.
 * Tracing: one PRODUCER span per call, a child of the HTTP request's span, whose context every record carries in
 * its {@code traceparent} header (user-service links its batch spans to it).
 */
@ApplicationScoped
public class RecordPublisher {
    static final String CHANNEL = "records-out";
    private static final TextMapSetter<Headers> KAFKA_HEADERS =
            (headers, key, value) -> headers.remove(key).add(key, value.getBytes(StandardCharsets.UTF_8));

    private final KafkaClientService kafkaClients;
    private final Duration ackTimeout;
    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public RecordPublisher(KafkaClientService kafkaClients, OpenTelemetry openTelemetry,
                           IngestConfig config) {
        this.kafkaClients = kafkaClients;
        this.ackTimeout = config.kafkaAckTimeout();
        this.tracer = openTelemetry.getTracer("dev.tgregistry.bot-ingest");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** Sends the records in order to {@code topic}, keyed by user; the Uni yields how many were acknowledged. */
    public Uni<Integer> publish(String topic, List<? extends RegistryRecord> records) {
        return publishSerialized(topic, records.stream().map(Serialized::of).toList());
    }

    /** A record already written as JSON, with its key: what the relay's spool holds. */
    public record Serialized(String key, String json) {
        public static Serialized of(RegistryRecord record) {
            return new Serialized(record.key(), RecordJson.write(record));
        }
    }

    /** As {@link #publish}, for records already serialized (in order, keyed as given). */
    public Uni<Integer> publishSerialized(String topic, List<Serialized> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Span span = tracer.spanBuilder(topic + " publish").setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("messaging.operation.type", "publish")
                .setAttribute("messaging.batch.message_count", records.size())
                .startSpan();
        Context traced = Context.current().with(span);
        List<ProducerRecord<String, String>> outgoing = records.stream().map(record -> {
            ProducerRecord<String, String> out = new ProducerRecord<>(topic, record.key(), record.json());
            propagator.inject(traced, out.headers(), KAFKA_HEADERS);
            return out;
        }).toList();
        CompletableFuture<Integer> acknowledged = new CompletableFuture<>();
        AtomicInteger pending = new AtomicInteger(outgoing.size());
        KafkaProducer<String, String> producer = kafkaClients.getProducer(CHANNEL);
        return producer.runOnSendingThread(kafka -> {
                    for (ProducerRecord<String, String> record : outgoing) {
                        kafka.send(record, (metadata, failure) -> {
                            if (failure != null) {
                                acknowledged.completeExceptionally(failure);
                            } else if (pending.decrementAndGet() == 0) {
                                acknowledged.complete(outgoing.size());
                            }
                        });
                    }
                })
                .chain(() -> Uni.createFrom().completionStage(acknowledged))
                .ifNoItem().after(ackTimeout).failWith(() -> new KafkaUnavailableException(
                        "Kafka did not acknowledge the records within " + ackTimeout.toSeconds() + " s"))
                .onFailure(failure -> !(failure instanceof KafkaUnavailableException))
                .transform(failure -> failure instanceof RecordTooLargeException
                        // retrying cannot help: answer 413, not a 503 the sender would retry forever
                        ? RequestLimits.tooLarge("a record of this request is too large for Kafka: " + failure.getMessage())
                        : new KafkaUnavailableException("Kafka rejected the records: " + failure.getMessage()))
                .onTermination().invoke((count, failure, cancelled) -> {
                    if (failure != null) {
                        span.setStatus(StatusCode.ERROR, failure.getMessage());
                    }
                    span.end();
                });
    }
}
