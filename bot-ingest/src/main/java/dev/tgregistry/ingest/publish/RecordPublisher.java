package dev.tgregistry.ingest.publish;

import dev.tgregistry.model.RegistryRecord;
import dev.tgregistry.model.RecordJson;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.time.Duration;
import java.util.List;

/**
 * Publishes records to Kafka and completes only when the broker acknowledged every one of them
 * (the producer runs with acks=all and idempotence, see application.properties).
 */
@ApplicationScoped
public class RecordPublisher {
    private final MutinyEmitter<String> emitter;
    private final Duration ackTimeout;

    public RecordPublisher(@Channel("records-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 50_000)
                           MutinyEmitter<String> emitter,
                           @ConfigProperty(name = "app.kafka-ack-timeout", defaultValue = "10s") Duration ackTimeout) {
        this.emitter = emitter;
        this.ackTimeout = ackTimeout;
    }

    /** Emits the records in order, each to its topic; the Uni yields how many were acknowledged. */
    public Uni<Integer> publish(String topic, List<? extends RegistryRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Uni<Void>> acks = records.stream().map(record -> send(topic, record)).toList();
        return Uni.join().all(acks).andFailFast()
                .ifNoItem().after(ackTimeout).failWith(() -> new KafkaUnavailableException(
                        "Kafka did not acknowledge the records within " + ackTimeout.toSeconds() + " s"))
                .onFailure(failure -> !(failure instanceof KafkaUnavailableException))
                .transform(failure -> new KafkaUnavailableException("Kafka rejected the records: " + failure.getMessage()))
                .replaceWith(records.size());
    }

    private Uni<Void> send(String topic, RegistryRecord record) {
        Message<String> message = Message.of(RecordJson.write(record))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withTopic(topic).withKey(record.key()).build());
        try {
            return emitter.sendMessage(message);
        } catch (RuntimeException overflowOrClosed) {
            return Uni.createFrom().failure(overflowOrClosed);
        }
    }
}
