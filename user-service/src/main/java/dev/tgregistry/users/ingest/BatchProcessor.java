package dev.tgregistry.users.ingest;

import dev.tgregistry.model.ContractViolation;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.RegistryRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The shared life of a consumed batch: parse every record (poison goes to the DLQ), write the good ones
 * in one transaction, and only then acknowledge the batch, which lets the connector commit its offsets.
 * A failed write is a database problem, not a poison record: it is retried with back-off until it succeeds,
 * which holds back this channel's consumption meanwhile.
 */
@ApplicationScoped
public class BatchProcessor {
    private static final Logger LOG = Logger.getLogger(BatchProcessor.class);

    private final DeadLetters deadLetters;
    private final MeterRegistry metrics;
    private final Duration maxBackoff;

    public BatchProcessor(DeadLetters deadLetters, MeterRegistry metrics,
                          @ConfigProperty(name = "app.write-retry-max-backoff", defaultValue = "30s") Duration maxBackoff) {
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.maxBackoff = maxBackoff;
    }

    public <T extends RegistryRecord> Uni<Void> process(KafkaRecordBatch<String, String> batch, Class<T> type,
                                                        Function<List<T>, Uni<Void>> write) {
        List<KafkaRecord<String, String>> records = batch.getRecords();
        if (records.isEmpty()) {
            return Uni.createFrom().completionStage(batch::ack);
        }
        String topic = records.get(0).getTopic();
        List<T> valid = new ArrayList<>(records.size());
        List<Uni<Void>> deadLettered = new ArrayList<>();
        for (KafkaRecord<String, String> record : records) {
            try {
                valid.add(RecordJson.read(record.getPayload() == null ? "" : record.getPayload(), type));
            } catch (ContractViolation violation) {
                LOG.warnf("Dead-lettering %s partition %d offset %d: %s",
                        topic, record.getPartition(), DeadLetters.offsetOf(record), violation.getMessage());
                deadLettered.add(deadLetters.send(record, violation.getMessage()));
            }
        }
        metrics.counter("registry.records.consumed", "topic", topic).increment(records.size());
        metrics.counter("registry.records.dead_lettered", "topic", topic).increment(deadLettered.size());
        metrics.summary("registry.batch.size", "topic", topic).record(records.size());
        Timer writeTime = metrics.timer("registry.batch.write", "topic", topic);

        Uni<Void> dlq = deadLettered.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(deadLettered).andFailFast().replaceWithVoid();
        Uni<Void> stored = valid.isEmpty() ? Uni.createFrom().voidItem() : Uni.createFrom().deferred(() -> {
                    Timer.Sample sample = Timer.start();
                    return write.apply(valid).invoke(() -> sample.stop(writeTime));
                })
                .onFailure().invoke(failure -> LOG.errorf("Writing a batch of %d %s records failed, retrying: %s",
                        valid.size(), topic, failure.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), maxBackoff).indefinitely();
        return dlq.chain(() -> stored).chain(() -> Uni.createFrom().completionStage(batch::ack));
    }
}
