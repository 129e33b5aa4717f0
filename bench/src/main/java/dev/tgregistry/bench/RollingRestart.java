// Over 350 lines: one scenario with its own traffic (sender as a Service, reader, readiness pollers), rollout and verdicts; kept out of
// FaultBenchmark (already 769 lines) and in one place until issue 15 splits the benchmarks by phase.
package dev.tgregistry.bench;

import dev.tgregistry.localstack.PackagedService;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault suite's {@code rolling} scenario (issue 14): a rolling restart under steady traffic, as Kubernetes does
 * a rollout. Two bot-ingest and two user-service instances run on the same Kafka and PostgreSQL with the shutdown
 * delay of their {@code application.properties} (LocalRun turns it off; here it is on, as in production). A sender
 * plays Telegram behind a Service: a fixed rate of small update batches, round-robin over the bot-ingest instances
 * whose readiness is UP (polled every 100 ms, as kube-proxy follows endpoints), a refused connection or a non-2xx
 * answer retried on the other instance. A reader asks the ready user-service instances for one user and counts
 * every answer that is not 2xx (no retry: what a dashboard would see). Each instance in turn gets SIGTERM, is
 * waited for, replaced on the same ports and waited for until ready. Then every update answered 2xx must be in
 * {@code users} once ({@link Ledger}). User ids: 9,600,000,000+.
 */
final class RollingRestart {

    static final String NAME = "rolling";
    /** Ports of the second instances (the first ones are the suite's). */
    static final int[] SECOND_INSTANCE_PORTS = {8082, 9082, 8083, 9083};

    private static final long USER_BASE = 9_600_000_000L;
    private static final long PROBE_USER = 9_699_999_999L;
    private static final int BATCH = 20;
    private static final long GIVE_UP_MS = 60_000;
    private static final long READINESS_POLL_MS = 100;
    /** Kubernetes' readiness probe defaults: timeoutSeconds 1, failureThreshold 3. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final int FAILURE_THRESHOLD = 3;
    private static final int LOGGED_FAILURES = 20;
    private static final long READER_PERIOD_MS = 50;
    /** As long as the sender's (IngestClient): on a saturated machine a fresh JVM can take seconds to answer. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** One instance: a fixed name and ports, the process behind them changes with every replacement. */
    private static final class Pod {
        final String name;
        final String module;
        final int port;
        final int managementPort;
        volatile Stack.Service process;

        Pod(String name, String module, int port, int managementPort, Stack.Service process) {
            this.name = name;
            this.module = module;
            this.port = port;
            this.managementPort = managementPort;
            this.process = process;
        }

        String label() {
            return name + " :" + port;
        }
    }

    /** What happened to one instance in the rollout. */
    private record Replacement(Pod pod, double stopSeconds, boolean exitedOnItsOwn, double readinessDownSeconds,
                               double readySeconds, double inRotationSeconds) {
    }

    private final Stack stack;
    private final Db db;
    private final DeadLetterWatch deadLetters;
    private final int rate;
    private final long settleMs;
    private final boolean quick;
    private final Map<String, String> graceful;
    private final long delaySeconds;
    private final long timeoutSeconds;
    /** Per module: what Kubernetes leaves the process after SIGTERM (terminationGracePeriodSeconds − preStop pause). */
    private final Map<String, Long> killAfterSeconds = new java.util.HashMap<>();
    private final Pod ingestA;
    private final Pod ingestB;
    private final Pod usersA;
    private final Pod usersB;
    private final ReadyEndpoints<Pod> ingestService;
    private final ReadyEndpoints<Pod> userService;
    private final Ledger ledger = new Ledger();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<Pod, IngestClient> ingestClients = new ConcurrentHashMap<>();
    private volatile boolean polling = true;
    private volatile boolean reading = true;

    // sender
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong updatesSent = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong answered2xx = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong batchesRetried = new AtomicLong();
    private final AtomicLong noReadyInstance = new AtomicLong();
    private final AtomicLong failedForGood = new AtomicLong();
    private final Map<Integer, AtomicLong> retryStatuses = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> acceptedBy = new ConcurrentHashMap<>();
    // reader
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong readsNot2xx = new AtomicLong();
    private final Map<Integer, AtomicLong> readStatuses = new ConcurrentHashMap<>();
    private final List<Long> readMillis = java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * @param userService the suite's user-service (8080 / 9000), replaced here by one with the shutdown delay on
     * @param botIngest   the suite's bot-ingest (8081 / 9001), likewise
     */
    RollingRestart(Stack stack, Path root, Db db, DeadLetterWatch deadLetters, Stack.Service userService,
                   Stack.Service botIngest, int rate, long settleMs, boolean quick) throws IOException {
        this.stack = stack;
        this.db = db;
        this.deadLetters = deadLetters;
        this.rate = rate;
        this.settleMs = settleMs;
        this.quick = quick;
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(root.resolve("bot-ingest/src/main/resources/application.properties"))) {
            props.load(r);
        }
        delaySeconds = seconds(props.getProperty("quarkus.shutdown.delay", "0s"));
        timeoutSeconds = seconds(props.getProperty("quarkus.shutdown.timeout", "0s"));
        // the services' own (production) delay, which LocalRun's local convenience sets to 0
        graceful = Map.of("QUARKUS_SHUTDOWN_DELAY", delaySeconds + "s");
        ingestA = new Pod(botIngest.name, "bot-ingest", botIngest.port, botIngest.managementPort, botIngest);
        ingestB = new Pod("bot-ingest-2", "bot-ingest", 8083, 9083, null);
        usersA = new Pod(userService.name, "user-service", userService.port, userService.managementPort, userService);
        usersB = new Pod("user-service-2", "user-service", 8082, 9082, null);
        ingestService = new ReadyEndpoints<>(List.of(ingestA, ingestB), FAILURE_THRESHOLD);
        this.userService = new ReadyEndpoints<>(List.of(usersA, usersB), FAILURE_THRESHOLD);
        for (String module : List.of("bot-ingest", "user-service")) {
            killAfterSeconds.put(module, killBudget(Files.readString(root.resolve("k8s/base/" + module + ".yaml"))));
        }
    }

    /** "5s", "10S", "0" → seconds (the services set whole seconds). */
    static long seconds(String duration) {
        Matcher m = Pattern.compile("\\s*(\\d+)\\s*[sS]?\\s*").matcher(duration);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration in seconds: " + duration);
        }
        return Long.parseLong(m.group(1));
    }

    /** terminationGracePeriodSeconds minus the preStop sleep of a Deployment manifest: the process's time after SIGTERM. */
    static long killBudget(String manifest) {
        Matcher grace = Pattern.compile("terminationGracePeriodSeconds:\\s*(\\d+)").matcher(manifest);
        Matcher pause = Pattern.compile("preStop:\\s*sleep:\\s*\\{\\s*seconds:\\s*(\\d+)").matcher(manifest);
        if (!grace.find()) {
            throw new IllegalArgumentException("no terminationGracePeriodSeconds in the manifest");
        }
        return Long.parseLong(grace.group(1)) - (pause.find() ? Long.parseLong(pause.group(1)) : 0);
    }

    Stack.Service userServiceProcess() {
        return usersA.process;
    }

    Stack.Service botIngestProcess() {
        return ingestA.process;
    }

    /** Runs the scenario and adds its row and its targets to {@code table}. */
    void run(FaultTable table) throws Exception {
        setUp();
        List<Thread> pollers = new ArrayList<>();
        for (Pod p : List.of(ingestA, ingestB, usersA, usersB)) {
            pollers.add(daemon("ready-" + p.name, () -> poll(p)));
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (!(ingestService.isReady(ingestA) && ingestService.isReady(ingestB) && userService.isReady(usersA)
                && userService.isReady(usersB)) && System.currentTimeMillis() < deadline) {
            Bench.sleep(50);
        }
        long seed = USER_BASE + 999_000_000L;
        Bench.log("rolling: seeding user " + seed + " for the reader");
        if (!send(List.of(seed), Updates.batch(new Names(seed), seed, seed, 1, Instant.now().getEpochSecond()),
                Instant.now().getEpochSecond(), false) || !awaitRow(seed, 120_000)) {
            throw new IllegalStateException("rolling: the reader's user did not become visible");
        }
        int dlqBefore = deadLetters.count();
        Thread reader = daemon("rolling-reader", () -> read(seed));
        ExecutorService workers = Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "rolling-sender");
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long periodMicros = BATCH * 1_000_000L / rate;
        long started = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> workers.submit(this::sendNextBatch), 0, periodMicros, TimeUnit.MICROSECONDS);
        List<Replacement> rollout = new ArrayList<>();
        double recover;
        try {
            Bench.sleep(quick ? 5000 : 10_000);
            for (Pod pod : List.of(ingestA, ingestB, usersA, usersB)) {
                rollout.add(replace(pod));
                Bench.sleep(quick ? 3000 : 5000);
            }
            long rolloutEnd = System.nanoTime();
            recover = probe(rolloutEnd);
            Bench.sleep(quick ? 3000 : 10_000);
        } finally {
            ticker.shutdownNow();
            workers.shutdown();
            workers.awaitTermination(GIVE_UP_MS + 30_000, TimeUnit.MILLISECONDS);
            reading = false;
            reader.join(15_000);
            polling = false;
            for (Thread t : pollers) {
                t.join(5000);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Ledger.Result result = settle();
        List<DeadLetterWatch.DeadLetter> letters = deadLetters.since(dlqBefore).stream()
                .filter(d -> d.key() != null && ledger.userKeys().contains(d.key())).toList();
        stopSecondInstances();
        report(table, rollout, result, letters, seconds, recover);
    }

    /** The suite's two instances again with the shutdown delay on, and a second of each. */
    private void setUp() throws IOException {
        Bench.log("rolling: restarting the suite's instances with a shutdown delay of " + delaySeconds + " s; second instances");
        for (Pod p : List.of(ingestA, usersA)) {
            Stack.stop(p.process, delaySeconds + timeoutSeconds + 10);
        }
        for (Pod p : List.of(usersA, usersB, ingestA, ingestB)) {
            p.process = stack.startInstance(p.name, p.module, p.port, p.managementPort, graceful);
        }
        for (Pod p : List.of(usersA, usersB, ingestA, ingestB)) {
            stack.awaitReady(p.process, Duration.ofSeconds(300));
        }
        Bench.sleep(5000); // let the consumer groups settle on two members
    }

    /** SIGTERM, wait for the exit, a new process on the same ports, wait until ready and back in rotation. */
    private Replacement replace(Pod pod) throws IOException {
        ReadyEndpoints<Pod> service = pod.module.equals("bot-ingest") ? ingestService : userService;
        Bench.log("rolling: replacing " + pod.label());
        long term = System.nanoTime();
        PackagedService.StopResult stop = Stack.stop(pod.process, delaySeconds + timeoutSeconds + 15);
        long changed = service.changedAtNanos(pod);
        double downAfter = !service.isReady(pod) && changed >= term ? (changed - term) / 1e9 : Double.NaN;
        long start = System.nanoTime();
        pod.process = stack.startInstance(pod.name, pod.module, pod.port, pod.managementPort, graceful);
        stack.awaitReady(pod.process, Duration.ofSeconds(300));
        double ready = (System.nanoTime() - start) / 1e9;
        long deadline = System.currentTimeMillis() + 30_000;
        while (!service.isReady(pod) && System.currentTimeMillis() < deadline) {
            Bench.sleep(20);
        }
        double inRotation = (System.nanoTime() - start) / 1e9;
        Bench.log(String.format(Locale.ROOT, "rolling: %s stopped in %.1f s (%s), ready %.1f s after its start",
                pod.label(), stop.seconds(), stop.exitedOnItsOwn() ? "on its own" : "KILLED", ready));
        return new Replacement(pod, stop.seconds(), stop.exitedOnItsOwn(), downAfter, ready, inRotation);
    }

    // ------------------------------------------------------------------------------------------ traffic

    /** Follows one instance's readiness on its management port, as the endpoints controller would. */
    private void poll(Pod pod) {
        ReadyEndpoints<Pod> service = pod.module.equals("bot-ingest") ? ingestService : userService;
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

    private void sendNextBatch() {
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
    private boolean send(List<Long> users, byte[] body, long date, boolean counted) {
        if (counted) {
            updatesSent.addAndGet(users.size());
        }
        long giveUp = System.currentTimeMillis() + GIVE_UP_MS;
        Pod avoid = null;
        boolean wasRetried = false;
        while (true) {
            Optional<Pod> pod = ingestService.pick(avoid);
            if (pod.isEmpty()) {
                noReadyInstance.incrementAndGet();
            } else {
                IngestClient.Answer a = ingestClients.computeIfAbsent(pod.get(), p -> new IngestClient("http://localhost:" + p.port))
                        .post(Poisons.TELEGRAM, body);
                requests.incrementAndGet();
                if (a.status() / 100 == 2) {
                    answered2xx.incrementAndGet();
                    if (counted) {
                        ledger.sightings(users, date);
                    }
                    acceptedBy.computeIfAbsent(pod.get().label(), k -> new AtomicLong()).incrementAndGet();
                    if (wasRetried) {
                        batchesRetried.incrementAndGet();
                    }
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

    /** GET /api/users/{seed} on a ready user-service instance every 50 ms; anything but 2xx counts. */
    private void read(long seed) {
        while (reading) {
            long next = System.nanoTime() + READER_PERIOD_MS * 1_000_000;
            Optional<Pod> pod = userService.pick(null);
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
                    Bench.log("rolling: reader failed on " + pod.map(Pod::label).orElse("-") + ": " + failure);
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

    /** A new user's update sent at the end of the rollout: seconds from {@code since} until its row is visible. */
    private double probe(long since) {
        long date = Instant.now().getEpochSecond();
        if (!send(List.of(PROBE_USER), Updates.batch(new Names(PROBE_USER), PROBE_USER, PROBE_USER, 1, date), date, false)) {
            return Double.POSITIVE_INFINITY;
        }
        return awaitRow(PROBE_USER, 600_000) ? (System.nanoTime() - since) / 1e9 : Double.POSITIVE_INFINITY;
    }

    private boolean awaitRow(long user, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            boolean seen = db.run(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM users WHERE user_id = ?")) {
                    ps.setLong(1, user);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next();
                    }
                }
            });
            if (seen) {
                return true;
            }
            Bench.sleep(100);
        }
        return false;
    }

    private Ledger.Result settle() {
        long deadline = System.currentTimeMillis() + settleMs;
        while (true) {
            Ledger.Result r = db.run(ledger::check, 600_000);
            if (r.missing() == 0 || System.currentTimeMillis() > deadline) {
                return r;
            }
            Bench.sleep(1000);
        }
    }

    private void stopSecondInstances() {
        for (Pod p : List.of(ingestB, usersB)) {
            if (p.process != null) {
                Stack.stop(p.process, delaySeconds + timeoutSeconds + 10);
            }
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    // ------------------------------------------------------------------------------------------ report

    private void report(FaultTable table, List<Replacement> rollout, Ledger.Result result,
                        List<DeadLetterWatch.DeadLetter> letters, double seconds, double recover) {
        long bound = delaySeconds + timeoutSeconds;
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
        java.util.Collections.sort(millis);
        notes.add(String.format(Locale.ROOT, "reader: %d GET /api/users/{id} (timeout %d s), %d not 2xx %s (0 = no instance in"
                        + " rotation, -1 = no answer), answer time p50 %d ms, p99 %d ms, max %d ms", reads.get(), READ_TIMEOUT.toSeconds(),
                readsNot2xx.get(), readStatuses.isEmpty() ? "" : new TreeMap<>(counts(readStatuses)), percentile(millis, 0.50),
                percentile(millis, 0.99), millis.isEmpty() ? 0 : millis.get(millis.size() - 1)));
        for (Replacement r : rollout) {
            notes.add(String.format(Locale.ROOT, "%s: SIGTERM → exit %.1f s (%s; delay %d + timeout %d s; Kubernetes would kill at %d s), out of rotation"
                            + " %s after SIGTERM, replacement ready %.1f s after its start, back in rotation %.1f s",
                    r.pod().label(), r.stopSeconds(), r.exitedOnItsOwn() ? "on its own" : "KILLED", delaySeconds, timeoutSeconds,
                    killAfterSeconds.get(r.pod().module),
                    Double.isNaN(r.readinessDownSeconds()) ? "?" : String.format(Locale.ROOT, "%.2f s", r.readinessDownSeconds()),
                    r.readySeconds(), r.inRotationSeconds()));
        }
        notes.add("time to recover: end of the rollout → a new user's update visible");
        table.add(new FaultTable.Row(FaultTable.Kind.FAULT, "rolling restart under " + rate + " updates/s: bot-ingest ×2,"
                + " then user-service ×2 (SIGTERM, replace, next)", updatesSent.get(), result.acknowledged(), result.visible(),
                Math.max(0, result.missing() - letters.size()), result.duplicated(), 0, letters.size(),
                (int) letters.stream().filter(DeadLetterWatch.DeadLetter::hasReason).count(), 0, 0, recover,
                String.join("; ", notes)));
        long lost = Math.max(0, result.missing() - letters.size());
        table.addVerdict(new FaultTable.Verdict("rolling restart: 0 updates answered 2xx lost or duplicated",
                lost + " lost, " + result.duplicated() + " duplicated of " + result.acknowledged(),
                lost == 0 && result.duplicated() == 0 && letters.isEmpty()));
        table.addVerdict(new FaultTable.Verdict("rolling restart: 0 updates failed for good (retried on the other instance)",
                failedForGood.get() + " of " + updatesSent.get(), failedForGood.get() == 0));
        table.addVerdict(new FaultTable.Verdict("rolling restart: 0 non-2xx answers to the reader",
                readsNot2xx.get() + " of " + reads.get(), readsNot2xx.get() == 0 && reads.get() > 0));
        long slow = rollout.stream().filter(r -> !r.exitedOnItsOwn() || r.stopSeconds() > bound).count();
        table.addVerdict(new FaultTable.Verdict("rolling restart: every instance exits on its own within shutdown delay + timeout ("
                + delaySeconds + " + " + timeoutSeconds + " s)",
                rollout.stream().map(r -> String.format(Locale.ROOT, "%.1f s", r.stopSeconds())).toList().toString(),
                slow == 0 && rollout.size() == 4));
        long killed = rollout.stream().filter(r -> !r.exitedOnItsOwn() || r.stopSeconds() > killAfterSeconds.get(r.pod().module)).count();
        table.addVerdict(new FaultTable.Verdict("rolling restart: every instance exits before Kubernetes would kill it"
                + " (k8s/base: terminationGracePeriodSeconds − preStop = " + killAfterSeconds.get("bot-ingest") + " s bot-ingest, "
                + killAfterSeconds.get("user-service") + " s user-service)",
                (rollout.size() - killed) + " of " + rollout.size(), killed == 0 && rollout.size() == 4));
    }

    private static long percentile(List<Long> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }

    private static <K> Map<K, Long> counts(Map<K, AtomicLong> m) {
        Map<K, Long> out = new java.util.HashMap<>();
        m.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
