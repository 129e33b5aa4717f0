package dev.tgregistry.bench.relay;

import dev.tgregistry.bench.Bench;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The relay benchmark's load (bench/README.md, "bench/run relay"): with at most {@code connections} in flight, as
 * Telegram's webhook keeps, the next update waits as it would in Telegram's queue, and each latency is measured
 * from the request's scheduled time (no coordinated omission).
 */
final class RelayLoad {
    /** What one run measured: latency (µs), answers by status, requests without an answer. */
    record Result(Histogram latency, Map<Integer, Long> statuses, long failed) {
        long count(int status) {
            return statuses.getOrDefault(status, 0L);
        }

        /** The answers that were not 200, by status ("0" when every answer was 200), e.g. "60 (503: 60)". */
        String others() {
            long others = latency.getTotalCount() - count(200);
            if (others == 0) return "0";
            var byStatus = new StringJoiner(", ");
            statuses.forEach((status, n) -> { if (status != 200) byStatus.add(status + ": " + n); });
            return others + " (" + byStatus + ")";
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private long nextUser;
    private long nextUpdate;

    private final Semaphore connections;

    RelayLoad(long firstUser, int connections) {
        this.connections = new Semaphore(connections);
        this.nextUser = firstUser;
        this.nextUpdate = firstUser % 1_000_000_000L;
    }

    static String update(long updateId, long user) {
        return "{\"update_id\":" + updateId + ",\"message\":{\"message_id\":" + (updateId % 1_000_000) + ",\"from\":{\"id\":" + user
                + ",\"is_bot\":false,\"first_name\":\"\\u0421\\u0435\\u0440\\u0433\\u0435\\u0439\",\"username\":\"bench_" + user
                + "\",\"language_code\":\"ru\"},\"chat\":{\"id\":" + user + ",\"type\":\"private\"},\"date\":"
                + (System.currentTimeMillis() / 1000) + ",\"text\":\"/start\"}}";
    }

    /** Sends {@code rate} updates/s for {@code seconds} to {@code url} with {@code secret}; waits for every answer. */
    Result run(String url, String secret, int rate, int seconds) {
        Histogram latency = Bench.histogram();
        Map<Integer, Long> statuses = new TreeMap<>();
        ConcurrentLinkedQueue<CompletableFuture<?>> inFlight = new ConcurrentLinkedQueue<>();
        long[] failed = {0};
        long total = (long) rate * seconds;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        for (long i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            connections.acquireUninterruptibly();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("X-Telegram-Bot-Api-Secret-Token", secret)
                    .POST(HttpRequest.BodyPublishers.ofString(update(nextUpdate++, nextUser++), StandardCharsets.UTF_8)).build();
            inFlight.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
                connections.release();
                long micros = Math.max(1, (System.nanoTime() - scheduled) / 1000);
                synchronized (latency) {
                    if (failure != null) {
                        failed[0]++;
                    } else {
                        latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
                        statuses.merge(response.statusCode(), 1L, Long::sum);
                    }
                }
            }));
            if (i % 1000 == 999) {
                inFlight.removeIf(CompletableFuture::isDone);
            }
        }
        inFlight.forEach(f -> f.handle((answer, failure) -> null).join());
        synchronized (latency) {
            return new Result(latency, statuses, failed[0]);
        }
    }
}
