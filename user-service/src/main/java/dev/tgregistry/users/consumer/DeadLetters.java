package dev.tgregistry.users.consumer;

import dev.tgregistry.model.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends a record that cannot be applied to {@code <topic>.dlq}, unchanged, with the reason in its headers. A failed
 * send (broker away, topic not there yet) is retried with back-off, never given up: the batch behind it waits, so
 * nothing is committed past a record that is neither written nor dead-lettered.
 */
@ApplicationScoped
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    public static final String REASON = "dead-letter-reason";
    public static final String SQLSTATE = "dead-letter-sqlstate";
    public static final String ORIGINAL_TOPIC = "dead-letter-topic";
    public static final String ORIGINAL_PARTITION = "dead-letter-partition";
    public static final String ORIGINAL_OFFSET = "dead-letter-offset";
    /** Set when the record was too large for the dead-letter topic: the value is left out, find it at topic/partition/offset. */
    public static final String PAYLOAD_OMITTED = "dead-letter-payload-omitted";

    private final MutinyEmitter<String> emitter;

    public DeadLetters(@Channel("dead-letters") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10_000)
                       MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    static long offsetOf(KafkaRecord<String, String> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
    }

    /** Completes once Kafka acknowledged the dead letter; {@code sqlState} is null for a contract violation. */
    public Uni<Void> send(KafkaRecord<String, String> record, String reason, String sqlState) {
        return Uni.createFrom().deferred(() -> emitter.sendMessage(deadLetter(record, reason, sqlState, false)))
                .onFailure(DeadLetters::isTooLarge)
                .recoverWithUni(tooLarge -> emitter.sendMessage(deadLetter(record, reason, sqlState, true)))
                .onFailure().invoke(failure -> LOG.warnf("Dead-lettering %s partition %d offset %d failed, retrying: %s",
                        record.getTopic(), record.getPartition(), offsetOf(record), failure.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }

    private static Message<String> deadLetter(KafkaRecord<String, String> record, String reason, String sqlState,
                                              boolean omitPayload) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        if (sqlState != null) {
            headers.add(SQLSTATE, sqlState.getBytes(StandardCharsets.UTF_8));
        }
        headers.add(ORIGINAL_TOPIC, record.getTopic().getBytes(StandardCharsets.UTF_8));
        headers.add(ORIGINAL_PARTITION, Integer.toString(record.getPartition()).getBytes(StandardCharsets.UTF_8));
        headers.add(ORIGINAL_OFFSET, Long.toString(offsetOf(record)).getBytes(StandardCharsets.UTF_8));
        if (omitPayload) {
            int size = record.getPayload() == null ? 0 : record.getPayload().length();
            headers.add(PAYLOAD_OMITTED, ("too large for the dead-letter topic (" + size + " characters)").getBytes(StandardCharsets.UTF_8));
        }
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(Topics.deadLetterOf(record.getTopic()))
                .withKey(record.getKey())
                .withHeaders(headers)
                .build();
        String payload = record.getPayload();
        return Message.of(omitPayload || payload == null ? "" : payload).addMetadata(metadata);
    }

    private static boolean isTooLarge(Throwable failure) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof RecordTooLargeException) {
                return true;
            }
        }
        return false;
    }
}
