package dev.tgregistry.users.ingest;

import dev.tgregistry.model.ContractViolation;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.RegistryRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
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
    private final BatchTracing tracing;
    private final Duration maxBackoff;

    public BatchProcessor(DeadLetters deadLetters, MeterRegistry metrics, BatchTracing tracing,
                          @ConfigProperty(name = "app.write-retry-max-backoff", defaultValue = "30s") Duration maxBackoff) {
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.tracing = tracing;
        this.maxBackoff = maxBackoff;
    }

    public <T extends RegistryRecord> Uni<Void> process(KafkaRecordBatch<String, String> batch, Class<T> type,
                                                        Function<List<T>, Uni<Void>> write) {
        List<KafkaRecord<String, String>> records = batch.getRecords();
        if (records.isEmpty()) {
            return Uni.createFrom().completionStage(batch::ack);
        }
        String topic = records.get(0).getTopic();
        Span batchSpan = tracing.startBatch(topic, records);
        List<T> valid = new ArrayList<>(records.size());
        List<Uni<Void>> deadLettered = new ArrayList<>();
        for (KafkaRecord<String, String> record : records) {
            try {
                valid.add(RecordJson.read(record.getPayload() == null ? "" : record.getPayload(), type));
            } catch (ContractViolation violation) {
                // the field only: a parser's message may quote the payload (names, texts); the reason goes to the DLQ header
                LOG.warnf("Dead-lettering %s partition %d offset %d: field %s breaks the contract",
                        topic, record.getPartition(), DeadLetters.offsetOf(record), violation.field());
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
                    Span writeSpan = tracing.startWrite(batchSpan, topic, valid.size());
                    return write.apply(valid).invoke(() -> sample.stop(writeTime))
                            .onTermination().invoke((ignored, failure, cancelled) -> BatchTracing.end(writeSpan, failure));
                })
                .onFailure().invoke(failure -> LOG.errorf("Writing a batch of %d %s records failed, retrying: %s",
                        valid.size(), topic, failure.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), maxBackoff).indefinitely();
        return dlq.chain(() -> stored).chain(() -> Uni.createFrom().completionStage(batch::ack))
                .onTermination().invoke((ignored, failure, cancelled) -> BatchTracing.end(batchSpan, failure));
    }
}
