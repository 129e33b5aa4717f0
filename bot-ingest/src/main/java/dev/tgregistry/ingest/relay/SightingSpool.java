package dev.tgregistry.ingest.relay;

import dev.tgregistry.ingest.IngestConfig;
import dev.tgregistry.ingest.publish.RecordPublisher;
import dev.tgregistry.ingest.publish.RecordPublisher.Serialized;
import dev.tgregistry.model.Topics;
import dev.tgregistry.model.UserSeen;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The relayed updates' sightings on their way to Kafka, off the bot's path: {@link #offer} only queues (in memory,
 * in order) and returns; one batch at a time (at most {@value #BATCH} sightings, gathered for up to
 * {@value #LINGER_MILLIS} ms) is published and removed once Kafka acknowledged it. While Kafka is away the batch is put back at the head and tried again after a back-off (200 ms
 * doubling to {@code app.relay.spool.retry-max-backoff}), so the spool is replayed in order when Kafka returns.
 *
 * <p>Bounded by {@code app.relay.spool.max-bytes} of estimated heap (2 bytes per character of a sighting's JSON and
 * key, plus {@value #ENTRY_OVERHEAD} per entry). When a new sighting does not fit, the <b>oldest</b> waiting ones are
 * dropped (the newest say most about each user: names and block status follow the newest sighting) and counted in
 * {@code relay_spool_dropped_total}. The spool lives in memory: sightings still in it when the process ends are lost
 * (counted in the shutdown log line); Telegram does not send them again, the bot having answered.
 */
@ApplicationScoped
public class SightingSpool {
    private static final Logger LOG = Logger.getLogger(SightingSpool.class);
    static final int BATCH = 500;
    static final int ENTRY_OVERHEAD = 96;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    /**
     * A batch is sent when {@value #BATCH} sightings wait or this long after the first: a publication costs bot-ingest
     * (and the broker) about the same whether it carries one sighting or a hundred, much of it in code that runs too
     * rarely for the C2-only JIT to compile (BENCHMARKS.md, "Webhook relay: CPU per relayed update").
     */
    static final long LINGER_MILLIS = 200;

    private final RecordPublisher publisher;
    private final Vertx vertx;
    private final long maxBytes;
    private final Duration maxBackoff;
    private final ArrayDeque<Serialized> waiting = new ArrayDeque<>();
    private final Counter dropped;
    private final Counter published;
    private final Counter failures;
    private long bytes;
    private int inFlight;
    private boolean publishing;
    private boolean lingering;
    private Duration backoff = FIRST_BACKOFF;
    private boolean warnedFull;

    public SightingSpool(RecordPublisher publisher, Vertx vertx, IngestConfig ingestConfig, MeterRegistry metrics) {
        RelayConfig config = ingestConfig.relay();
        this.publisher = publisher;
        this.vertx = vertx;
        this.maxBytes = config.spool().maxBytes().asLongValue();
        this.maxBackoff = config.spool().retryMaxBackoff();
        Gauge.builder("relay.spool.records", this, SightingSpool::size)
                .description("Sightings of relayed updates waiting for Kafka (in flight included)").register(metrics);
        Gauge.builder("relay.spool.bytes", this, SightingSpool::bytes)
                .description("Estimated heap the waiting sightings take").baseUnit("bytes").register(metrics);
        Gauge.builder("relay.spool.max.bytes", () -> maxBytes)
                .description("app.relay.spool.max-bytes").baseUnit("bytes").register(metrics);
        this.dropped = Counter.builder("relay.spool.dropped")
                .description("Sightings dropped, oldest first, because the spool was full").register(metrics);
        this.published = Counter.builder("relay.spool.published")
                .description("Sightings of relayed updates Kafka acknowledged").register(metrics);
        this.failures = Counter.builder("relay.spool.publish.failures")
                .description("Attempts to publish a batch of the spool that Kafka did not acknowledge").register(metrics);
    }

    /** Queues the sightings of one delivered update, in order; never blocks and never fails. */
    public void offer(List<UserSeen> sightings) {
        if (sightings.isEmpty()) {
            return;
        }
        List<Serialized> serialized = sightings.stream().map(Serialized::of).toList();
        synchronized (this) {
            for (Serialized sighting : serialized) {
                waiting.addLast(sighting);
                bytes += estimate(sighting);
            }
            trimToBound();
        }
        schedule();
    }

    /** Publishes at once when a whole batch waits, else after {@link #LINGER_MILLIS} (unless a batch is in flight). */
    private void schedule() {
        synchronized (this) {
            if (publishing || waiting.isEmpty() || (lingering && waiting.size() < BATCH)) {
                return;
            }
            if (waiting.size() < BATCH) {
                lingering = true;
                vertx.setTimer(LINGER_MILLIS, id -> {
                    synchronized (this) {
                        lingering = false;
                    }
                    publishNext();
                });
                return;
            }
        }
        publishNext();
    }

    public synchronized int size() {
        return waiting.size() + inFlight;
    }

    synchronized long bytes() {
        return bytes;
    }

    static long estimate(Serialized sighting) {
        return 2L * (sighting.json().length() + sighting.key().length()) + ENTRY_OVERHEAD;
    }

    /** Drops the oldest waiting sightings (not those in flight) until the spool fits its bound. */
    private void trimToBound() {
        long droppedNow = 0;
        while (bytes > maxBytes && !waiting.isEmpty()) {
            bytes -= estimate(waiting.removeFirst());
            droppedNow++;
        }
        if (droppedNow > 0) {
            dropped.increment(droppedNow);
            if (!warnedFull) {
                warnedFull = true;
                LOG.warnf("relay spool full (%d bytes): dropping the oldest sightings until Kafka accepts again;"
                        + " see relay_spool_dropped_total", maxBytes);
            }
        }
    }

    private void publishNext() {
        List<Serialized> batch;
        synchronized (this) {
            if (publishing || waiting.isEmpty()) {
                return;
            }
            publishing = true;
            batch = new ArrayList<>(Math.min(BATCH, waiting.size()));
            while (batch.size() < BATCH && !waiting.isEmpty()) {
                batch.add(waiting.removeFirst());
            }
            inFlight = batch.size();
        }
        publisher.publishSerialized(Topics.USER_SEEN, batch).subscribe().with(
                count -> acknowledged(batch),
                failure -> refused(batch, failure));
    }

    private void acknowledged(List<Serialized> batch) {
        synchronized (this) {
            batch.forEach(sighting -> bytes -= estimate(sighting));
            inFlight = 0;
            publishing = false;
            if (!backoff.equals(FIRST_BACKOFF) || warnedFull) {
                LOG.infof("relay spool: Kafka accepts again; %d sightings still waiting", waiting.size());
            }
            backoff = FIRST_BACKOFF;
            warnedFull = false;
        }
        published.increment(batch.size());
        schedule();
    }

    private void refused(List<Serialized> batch, Throwable failure) {
        failures.increment();
        Duration wait;
        synchronized (this) {
            for (int i = batch.size() - 1; i >= 0; i--) {
                waiting.addFirst(batch.get(i));
            }
            inFlight = 0;
            trimToBound();
            wait = backoff;
            backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            if (wait.equals(FIRST_BACKOFF)) {
                LOG.warnf("relay spool: Kafka did not acknowledge (%s); %d sightings kept, retrying",
                        failure.getClass().getSimpleName(), waiting.size());
            }
        }
        vertx.setTimer(Math.max(1, wait.toMillis()), id -> {
            synchronized (this) {
                publishing = false;
            }
            publishNext();
        });
    }

    /** What is still waiting when the process stops is lost: say how much (no personal data). */
    public synchronized void logLeftOnStop() {
        if (size() > 0) {
            LOG.warnf("relay spool: %d sightings not yet acknowledged by Kafka are lost with this stop", size());
        }
    }
}
