package dev.tgregistry.bench.ingest;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.stack.OffsetWatch;
import dev.tgregistry.bench.stack.Stack;
import dev.tgregistry.model.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** The consumer alone, (g) of bench/README.md's "bench/run ingest": HTTP and produce costs are out of the figure. */
final class ConsumerDrain {

    /** Drain figures: from the restarted service being ready (upper bound on the rate) and from its process start. */
    record Outcome(int records, double fromReadySeconds, double fromStartSeconds, boolean complete) {
        double rate() {
            return complete ? records / fromReadySeconds : Double.NaN;
        }

        double rateFromStart() {
            return complete ? records / fromStartSeconds : Double.NaN;
        }
    }

    private ConsumerDrain() {
    }

    static KafkaProducer<String, String> producer(String bootstrapServers) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        c.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-direct-producer");
        return new KafkaProducer<>(c, new StringSerializer(), new StringSerializer());
    }

    /** Produces the sightings as bot-ingest would publish them, and waits for every acknowledgement. */
    static void produce(String bootstrapServers, SteadyStream.Sighting[] sightings, long firstUpdateId) {
        try (KafkaProducer<String, String> p = producer(bootstrapServers)) {
            for (int i = 0; i < sightings.length; i++) {
                SteadyStream.Sighting s = sightings[i];
                p.send(new ProducerRecord<>(Topics.USER_SEEN, Long.toString(s.userId()), SteadyStream.record(s, firstUpdateId + i)));
            }
            p.flush();
        }
    }

    /**
     * Stops user-service, produces {@code sightings}, restarts it (handing the new process to {@code restarted})
     * and times the drain.
     */
    static Outcome run(String label, Stack stack, Stack.Service userService, Consumer<Stack.Service> restarted,
                       OffsetWatch offsets, SteadyStream.Sighting[] sightings, long firstUpdateId) throws Exception {
        OffsetWatch.Subscription sub = new OffsetWatch.Subscription("user-service.user-seen", Topics.USER_SEEN);
        Stack.stop(userService, 20);
        Bench.log(String.format(Locale.ROOT, "%s: producing %,d records straight into %s", label, sightings.length, Topics.USER_SEEN));
        long p0 = System.nanoTime();
        produce(stack.bootstrapServers(), sightings, firstUpdateId);
        Bench.log(String.format(Locale.ROOT, "  produced in %.1f s; lag %,d; starting user-service", (System.nanoTime() - p0) / 1e9,
                offsets.lag(sub)));
        long start = System.nanoTime();
        Stack.Service fresh = stack.startUserService();
        restarted.accept(fresh);
        stack.awaitReady(fresh, Duration.ofSeconds(180));
        long ready = System.nanoTime();
        long end = offsets.awaitCaughtUp(List.of(sub), () -> false, 120);
        Outcome o = new Outcome(sightings.length, ((end < 0 ? System.nanoTime() : end) - ready) / 1e9,
                ((end < 0 ? System.nanoTime() : end) - start) / 1e9, end >= 0);
        Bench.log(String.format(Locale.ROOT, "  %s: %,.0f records/s from ready (%.1f s), %,.0f /s from process start (%.1f s)",
                label, o.rate(), o.fromReadySeconds(), o.rateFromStart(), o.fromStartSeconds()));
        return o;
    }
}
