package dev.tgregistry.users.consumer;

import dev.tgregistry.users.RegistryConfig;
import jakarta.inject.Inject;
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
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The life of a consumed batch: parse every record (a record that breaks its contract is dead-lettered), write the
 * rest in one transaction, and only then acknowledge the batch, which lets the connector commit its offsets.
 * <ul>
 * <li>A transient failure (PostgreSQL down, a deadlock) is retried with back-off until it succeeds or the service
 *     stops; the batch stays unacknowledged meanwhile, so it is redelivered after a restart.</li>
 * <li>A data error (PostgreSQL refuses what a record holds) splits the batch in halves, written one after the other
 *     in their original order, down to the single records PostgreSQL refuses, which are dead-lettered with the
 *     SQLSTATE. Everything else is written. A user's later records may thus be applied while an earlier one sits in
 *     the dead-letter topic; identity follows the newest {@code seen_at}/{@code changed_at}, not arrival order, so
 *     replaying it later gives the same outcome as applying it in order would have.</li>
 * </ul>
 */
@ApplicationScoped
public class BatchProcessor {
    private static final Logger LOG = Logger.getLogger(BatchProcessor.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    private final DeadLetters deadLetters;
    private final Stopping stopping;
    private final MeterRegistry metrics;
    private final BatchTracing tracing;
    private final Duration maxBackoff;
    private final Duration attemptTimeout;

    /** A parsed record and the Kafka record it came from (dead-lettered unchanged if PostgreSQL refuses it). */
    private record Parsed<T>(KafkaRecord<String, String> source, T value) {
    }

    /** PostgreSQL refused the data of the records being written. */
    private static final class DataError extends RuntimeException {
        private final transient WriteFailure failure;

        DataError(WriteFailure failure) {
            super(failure.sqlState() + " " + failure.message(), null, false, false);
            this.failure = failure;
        }
    }

    @Inject
    public BatchProcessor(DeadLetters deadLetters, Stopping stopping, MeterRegistry metrics, BatchTracing tracing,
                          RegistryConfig config) {
        this(deadLetters, stopping, metrics, tracing, config.writeRetryMaxBackoff(), config.writeAttemptTimeout());
    }

    BatchProcessor(DeadLetters deadLetters, Stopping stopping, MeterRegistry metrics, BatchTracing tracing,
                   Duration maxBackoff, Duration attemptTimeout) {
        this.deadLetters = deadLetters;
        this.stopping = stopping;
        this.metrics = metrics;
        this.tracing = tracing;
        this.maxBackoff = maxBackoff;
        this.attemptTimeout = attemptTimeout;
    }

    public <T extends RegistryRecord> Uni<Void> process(KafkaRecordBatch<String, String> batch, Class<T> type,
                                                        Function<List<T>, Uni<Void>> write) {
        List<KafkaRecord<String, String>> records = batch.getRecords();
        if (records.isEmpty()) {
            return Uni.createFrom().completionStage(batch::ack);
        }
        String topic = records.get(0).getTopic();
        Span batchSpan = tracing.startBatch(topic, records);
        List<Parsed<T>> valid = new ArrayList<>(records.size());
        List<Uni<Void>> broken = new ArrayList<>();
        for (KafkaRecord<String, String> record : records) {
            try {
                valid.add(new Parsed<>(record, RecordJson.read(record.getPayload() == null ? "" : record.getPayload(), type)));
            } catch (ContractViolation violation) {
                // the log names the field only: a parser's message may quote the payload (names, texts)
                broken.add(deadLetter(record, violation.getMessage(), null, "field " + violation.field() + " breaks the contract"));
            }
        }
        metrics.counter("registry.records.consumed", "topic", topic).increment(records.size());
        metrics.summary("registry.batch.size", "topic", topic).record(records.size());

        Uni<Void> deadLettered = broken.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(broken).andFailFast().replaceWithVoid();
        return deadLettered
                .chain(() -> writeIsolating(topic, batchSpan, valid, write))
                .chain(() -> Uni.createFrom().completionStage(batch::ack))
                .onTermination().invoke((ignored, failure, cancelled) -> BatchTracing.end(batchSpan, failure));
    }

    private <T> Uni<Void> writeIsolating(String topic, Span batchSpan, List<Parsed<T>> items, Function<List<T>, Uni<Void>> write) {
        if (items.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return writeRetryingTransient(topic, batchSpan, items, write)
                .onFailure(DataError.class).recoverWithUni(failure -> {
                    WriteFailure refused = ((DataError) failure).failure;
                    if (items.size() == 1) {
                        return deadLetter(items.get(0).source(), refused.message(), refused.sqlState(),
                                refused.sqlState() + " " + refused.message());
                    }
                    LOG.debugf("PostgreSQL refused a batch of %d %s records (%s); isolating the offending records",
                            items.size(), topic, refused.sqlState());
                    int half = items.size() / 2;
                    return writeIsolating(topic, batchSpan, items.subList(0, half), write)
                            .chain(() -> writeIsolating(topic, batchSpan, items.subList(half, items.size()), write));
                });
    }

    private <T> Uni<Void> writeRetryingTransient(String topic, Span batchSpan, List<Parsed<T>> items,
                                                 Function<List<T>, Uni<Void>> write) {
        List<T> values = items.stream().map(Parsed::value).toList();
        Timer writeTime = metrics.timer("registry.batch.write", "topic", topic);
        Uni<Void> retried = Uni.createFrom().deferred(() -> {
                    Timer.Sample sample = Timer.start();
                    Span writeSpan = tracing.startWrite(batchSpan, topic, values.size());
                    // an attempt that never answers (a connection stuck while PostgreSQL restarts) would hold the
                    // partition forever; as a failure it is retried like any other, and a retry writes nothing twice
                    return write.apply(values).invoke(() -> sample.stop(writeTime))
                            .ifNoItem().after(attemptTimeout).failWith(() -> new TimeoutException("no answer after " + attemptTimeout.toMillis() + " ms"))
                            .onTermination().invoke((ignored, failure, cancelled) -> BatchTracing.end(writeSpan, failure));
                })
                .onFailure().transform(failure -> {
                    WriteFailure classified = WriteFailure.of(failure);
                    return classified.isDataError() ? new DataError(classified) : failure;
                })
                .onFailure(failure -> !(failure instanceof DataError)).invoke(failure -> {
                    WriteFailure transient_ = WriteFailure.of(failure);
                    LOG.warnf("Writing a batch of %d %s records failed (%s), retrying: %s", values.size(), topic,
                            transient_.sqlState() == null ? "no SQLSTATE" : transient_.sqlState(), transient_.message());
                })
                .onFailure(failure -> !(failure instanceof DataError)).retry()
                .withBackOff(FIRST_BACKOFF, maxBackoff).indefinitely();
        return stopping.orFailWhenStopping(retried);
    }

    /** {@code reason} goes into the dead letter's header, {@code logged} (no personal data) into the log. */
    private Uni<Void> deadLetter(KafkaRecord<String, String> record, String reason, String sqlState, String logged) {
        LOG.warnf("Dead-lettering %s partition %d offset %d: %s", record.getTopic(), record.getPartition(),
                DeadLetters.offsetOf(record), logged);
        metrics.counter("registry.records.dead_lettered", "topic", record.getTopic()).increment();
        return stopping.orFailWhenStopping(deadLetters.send(record, reason, sqlState));
    }
}
