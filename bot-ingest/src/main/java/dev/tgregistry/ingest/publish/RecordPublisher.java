package dev.tgregistry.ingest.publish;

import dev.tgregistry.ingest.web.BodyTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;

import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.RegistryRecord;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes a request's records to Kafka and completes only when the broker acknowledged every one of them
 * (the producer of channel {@code records-out} runs with acks=all and idempotence, see application.properties).
 * The whole request is handed to the producer's sending thread at once, in order, rather than message by
 * message through an emitter: per-message reactive plumbing was a large share of bot-ingest's CPU.
 */
@ApplicationScoped
public class RecordPublisher {
    static final String CHANNEL = "records-out";

    private final KafkaClientService kafkaClients;
    private final Duration ackTimeout;

    public RecordPublisher(KafkaClientService kafkaClients,
                           @ConfigProperty(name = "app.kafka-ack-timeout", defaultValue = "10s") Duration ackTimeout) {
        this.kafkaClients = kafkaClients;
        this.ackTimeout = ackTimeout;
    }

    /** Sends the records in order to {@code topic}, keyed by user; the Uni yields how many were acknowledged. */
    public Uni<Integer> publish(String topic, List<? extends RegistryRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<ProducerRecord<String, String>> outgoing = records.stream()
                .map(record -> new ProducerRecord<>(topic, record.key(), RecordJson.write(record))).toList();
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
                        ? new BodyTooLargeException("a record of this request is too large for Kafka: " + failure.getMessage())
                        : new KafkaUnavailableException("Kafka rejected the records: " + failure.getMessage()));
    }
}
