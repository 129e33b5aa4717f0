package dev.tgregistry.bench.faults;

import dev.tgregistry.bench.generate.Names;
import dev.tgregistry.bench.ingest.Updates;
import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.ingest.IngestClient;
import dev.tgregistry.bench.report.Ledger;
import dev.tgregistry.bench.stack.ReadyEndpoints;
import dev.tgregistry.bench.stack.Stack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rolling scenario's traffic: readiness pollers (as the endpoints controller follows them), a sender playing
 * Telegram behind a Service (round-robin over ready bot-ingest instances, a failure retried on the other one) and
 * a reader of one user on the ready user-service instances; with what each of them counted.
 */
final class RollingTraffic {

    static final long USER_BASE = 9_600_000_000L;
    static final int BATCH = 20;
    static final long GIVE_UP_MS = 60_000;
    private static final long READINESS_POLL_MS = 100;
    /** Kubernetes' readiness probe defaults: timeoutSeconds 1, failureThreshold 3. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    static final int FAILURE_THRESHOLD = 3;
    private static final int LOGGED_FAILURES = 20;
    private static final long READER_PERIOD_MS = 50;
    /** As long as the sender's (IngestClient): on a saturated machine a fresh JVM can take seconds to answer. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final ReadyEndpoints<RollingRestart.Pod> ingestService;
    private final ReadyEndpoints<RollingRestart.Pod> userService;
    private final Ledger ledger;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<RollingRestart.Pod, IngestClient> ingestClients = new ConcurrentHashMap<>();
    private volatile boolean polling = true;
    private volatile boolean reading = true;

    // sender
    private final AtomicLong seq = new AtomicLong();
    final AtomicLong updatesSent = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong answered2xx = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong batchesRetried = new AtomicLong();
    private final AtomicLong noReadyInstance = new AtomicLong();
    final AtomicLong failedForGood = new AtomicLong();
    private final Map<Integer, AtomicLong> retryStatuses = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> acceptedBy = new ConcurrentHashMap<>();
    // reader
    final AtomicLong reads = new AtomicLong();
    final AtomicLong readsNot2xx = new AtomicLong();
    private final Map<Integer, AtomicLong> readStatuses = new ConcurrentHashMap<>();
    private final List<Long> readMillis = Collections.synchronizedList(new ArrayList<>());

    RollingTraffic(ReadyEndpoints<RollingRestart.Pod> ingestService, ReadyEndpoints<RollingRestart.Pod> userService, Ledger ledger) {
        this.ingestService = ingestService;
        this.userService = userService;
        this.ledger = ledger;
    }

    void stopReading() {
        reading = false;
    }

    void stopPolling() {
        polling = false;
    }

    /** Follows one instance's readiness on its management port, as the endpoints controller would. */
    void poll(RollingRestart.Pod pod) {
        ReadyEndpoints<RollingRestart.Pod> service = pod.module.equals("bot-ingest") ? ingestService : userService;
        while (polling) {
            Stack.Service s = pod.process;
            int status = s == null ? -1 : status(HttpRequest.newBuilder(URI.create(
                    "http://localhost:" + pod.managementPort + "/q/health/ready")).timeout(PROBE_TIMEOUT).build());
            if (service.probed(pod, status == 200, System.nanoTime())) {
                Bench.log("rolling: " + pod.label() + (status == 200 ? " in rotation" : " out of rotation (last probe: "
                        + (status < 0 ? "no answer within " + PROBE_TIMEOUT.toSeconds() + " s" : status) + ")"));
            }
            Bench.sleep(READINESS_POLL_MS);
        }
    }

    void sendNextBatch() {
        long first = seq.getAndAdd(BATCH);
        List<Long> users = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            users.add(USER_BASE + first + i);
        }
        long date = Instant.now().getEpochSecond();
        send(users, Updates.batch(new Names(USER_BASE + first), first + 1, USER_BASE + first, BATCH, date), date, true);
    }

    /**
     * Posts one batch through the "Service" until an instance answers 2xx (then it goes into the ledger) or
     * {@link #GIVE_UP_MS}; a failed attempt is repeated on the other ready instance.
     */
    boolean send(List<Long> users, byte[] body, long date, boolean counted) {
        if (counted) {
            updatesSent.addAndGet(users.size());
        }
        long giveUp = System.currentTimeMillis() + GIVE_UP_MS;
        RollingRestart.Pod avoid = null;
        boolean wasRetried = false;
        while (true) {
            Optional<RollingRestart.Pod> pod = ingestService.pick(avoid);
            if (pod.isEmpty()) {
                noReadyInstance.incrementAndGet();
            } else {
                IngestClient.Answer a = ingestClients.computeIfAbsent(pod.get(), p -> new IngestClient("http://localhost:" + p.port))
                        .post(Poisons.TELEGRAM, body);
                requests.incrementAndGet();
                if (a.status() / 100 == 2) {
                    accepted(users, date, counted, pod.get(), wasRetried);
                    return true;
                }
                if (retryStatuses.computeIfAbsent(a.status(), k -> new AtomicLong()).incrementAndGet() <= LOGGED_FAILURES) {
                    Bench.log("rolling: sender got " + a.status() + " from " + pod.get().label() + ": "
                            + (a.body() == null ? "" : a.body().substring(0, Math.min(120, a.body().length()))));
                }
                retried.incrementAndGet();
                wasRetried = true;
                avoid = pod.get();
            }
            if (System.currentTimeMillis() > giveUp) {
                if (counted) {
                    failedForGood.addAndGet(users.size());
                }
                return false;
            }
            Bench.sleep(pod.isEmpty() ? 100 : 20);
        }
    }

    private void accepted(List<Long> users, long date, boolean counted, RollingRestart.Pod pod, boolean wasRetried) {
        answered2xx.incrementAndGet();
        if (counted) {
            ledger.sightings(users, date);
        }
        acceptedBy.computeIfAbsent(pod.label(), k -> new AtomicLong()).incrementAndGet();
        if (wasRetried) {
            batchesRetried.incrementAndGet();
        }
    }

    /** GET /api/users/{seed} on a ready user-service instance every 50 ms; anything but 2xx counts. */
    void read(long seed) {
        while (reading) {
            long next = System.nanoTime() + READER_PERIOD_MS * 1_000_000;
            Optional<RollingRestart.Pod> pod = userService.pick(null);
            String failure = "no ready instance";
            int status = 0;
            if (pod.isPresent()) {
                long sent = System.nanoTime();
                try {
                    status = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + pod.get().port + "/api/users/" + seed))
                                    .header("Authorization", "Bearer " + Stack.API_KEY).timeout(READ_TIMEOUT).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    readMillis.add((System.nanoTime() - sent) / 1_000_000);
                    failure = "status " + status;
                } catch (IOException e) {
                    status = -1;
                    failure = e.toString();
                } catch (InterruptedException e) {
                    return;
                }
            }
            reads.incrementAndGet();
            if (status / 100 != 2) {
                if (readsNot2xx.incrementAndGet() <= LOGGED_FAILURES) {
                    Bench.log("rolling: reader failed on " + pod.map(RollingRestart.Pod::label).orElse("-") + ": " + failure);
                }
                readStatuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
            }
            long wait = (next - System.nanoTime()) / 1_000_000;
            if (wait > 0) {
                Bench.sleep(wait);
            }
        }
    }

    private int status(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The sender's and the reader's figures, as notes of the scenario's row. */
    List<String> notes(int rate, double seconds) {
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "sender: %d updates/s offered as batches of %d, %.0f/s reached over %.0f s;"
                        + " %d requests, %d answered 2xx %s; %d attempts retried on the other instance %s (%d batches needed a retry);"
                        + " %d waits of 100 ms with no instance in rotation; %d updates failed for good",
                rate, BATCH, updatesSent.get() / seconds, seconds, requests.get(), answered2xx.get(), new TreeMap<>(counts(acceptedBy)),
                retried.get(), new TreeMap<>(counts(retryStatuses)), batchesRetried.get(), noReadyInstance.get(), failedForGood.get()));
        List<Long> millis;
        synchronized (readMillis) {
            millis = new ArrayList<>(readMillis);
        }
        Collections.sort(millis);
        notes.add(String.format(Locale.ROOT, "reader: %d GET /api/users/{id} (timeout %d s), %d not 2xx %s (0 = no instance in"
                        + " rotation, -1 = no answer), answer time p50 %d ms, p99 %d ms, max %d ms", reads.get(), READ_TIMEOUT.toSeconds(),
                readsNot2xx.get(), readStatuses.isEmpty() ? "" : new TreeMap<>(counts(readStatuses)), percentile(millis, 0.50),
                percentile(millis, 0.99), millis.isEmpty() ? 0 : millis.get(millis.size() - 1)));
        return notes;
    }

    private static long percentile(List<Long> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }

    private static <K> Map<K, Long> counts(Map<K, AtomicLong> m) {
        Map<K, Long> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
