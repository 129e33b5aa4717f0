package dev.tgregistry.bench.faults;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.generate.Names;
import dev.tgregistry.bench.ingest.Updates;
import dev.tgregistry.bench.report.Ledger;
import dev.tgregistry.bench.stack.ReadyEndpoints;
import dev.tgregistry.bench.stack.Stack;
import dev.tgregistry.localstack.PackagedService;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault suite's {@code rolling} scenario, a rolling restart under steady traffic as Kubernetes does a rollout:
 * bench/README.md, "bench/run faults". The instances run with the shutdown delay of their
 * {@code application.properties}, which LocalRun turns off. User ids: 9,600,000,000+.
 */
final class RollingRestart {

    static final String NAME = "rolling";
    /** Ports of the second instances (the first ones are the suite's). */
    static final int[] SECOND_INSTANCE_PORTS = {8082, 9082, 8083, 9083};

    private static final long PROBE_USER = 9_699_999_999L;

    /** One instance: a fixed name and ports, the process behind them changes with every replacement. */
    static final class Pod {
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

    private final FaultRig rig;
    private final Stack stack;
    private final int rate;
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
    private final RollingTraffic traffic;

    /** The suite's services (8080 / 9000, 8081 / 9001) are replaced here by ones with the shutdown delay on. */
    RollingRestart(FaultRig rig, Path root, int rate, boolean quick) throws IOException {
        this.rig = rig;
        this.stack = rig.stack;
        this.rate = rate;
        this.quick = quick;
        Stack.Service userService = rig.userService;
        Stack.Service botIngest = rig.botIngest;
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
        ingestService = new ReadyEndpoints<>(List.of(ingestA, ingestB), RollingTraffic.FAILURE_THRESHOLD);
        this.userService = new ReadyEndpoints<>(List.of(usersA, usersB), RollingTraffic.FAILURE_THRESHOLD);
        traffic = new RollingTraffic(ingestService, this.userService, ledger);
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
            pollers.add(Bench.daemon("ready-" + p.name, () -> traffic.poll(p)));
        }
        Bench.await(() -> ingestService.isReady(ingestA) && ingestService.isReady(ingestB) && userService.isReady(usersA)
                && userService.isReady(usersB), 30_000, 50);
        long seed = RollingTraffic.USER_BASE + 999_000_000L;
        Bench.log("rolling: seeding user " + seed + " for the reader");
        if (!traffic.send(List.of(seed), Updates.batch(new Names(seed), seed, seed, 1, Instant.now().getEpochSecond()),
                Instant.now().getEpochSecond(), false) || !rig.awaitVisible(Poisons.user(seed), 120_000)) {
            throw new IllegalStateException("rolling: the reader's user did not become visible");
        }
        int dlqBefore = rig.deadLetters.count();
        Thread reader = Bench.daemon("rolling-reader", () -> traffic.read(seed));
        ExecutorService workers = Executors.newFixedThreadPool(64, Bench.daemons("rolling-sender"));
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long periodMicros = RollingTraffic.BATCH * 1_000_000L / rate;
        long started = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> workers.submit(traffic::sendNextBatch), 0, periodMicros, TimeUnit.MICROSECONDS);
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
            workers.awaitTermination(RollingTraffic.GIVE_UP_MS + 30_000, TimeUnit.MILLISECONDS);
            traffic.stopReading();
            reader.join(15_000);
            traffic.stopPolling();
            for (Thread t : pollers) {
                t.join(5000);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Ledger.Result result = rig.settle(ledger);
        List<DeadLetterWatch.DeadLetter> letters = rig.deadLetters.since(dlqBefore).stream()
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
        Bench.await(() -> service.isReady(pod), 30_000, 20);
        double inRotation = (System.nanoTime() - start) / 1e9;
        Bench.log(String.format(Locale.ROOT, "rolling: %s stopped in %.1f s (%s), ready %.1f s after its start",
                pod.label(), stop.seconds(), stop.exitedOnItsOwn() ? "on its own" : "KILLED", ready));
        return new Replacement(pod, stop.seconds(), stop.exitedOnItsOwn(), downAfter, ready, inRotation);
    }

    /** A new user's update sent at the end of the rollout: seconds from {@code since} until its row is visible. */
    private double probe(long since) {
        long date = Instant.now().getEpochSecond();
        if (!traffic.send(List.of(PROBE_USER), Updates.batch(new Names(PROBE_USER), PROBE_USER, PROBE_USER, 1, date), date, false)) {
            return Double.POSITIVE_INFINITY;
        }
        return rig.awaitVisible(Poisons.user(PROBE_USER), 600_000) ? (System.nanoTime() - since) / 1e9 : Double.POSITIVE_INFINITY;
    }

    private void stopSecondInstances() {
        for (Pod p : List.of(ingestB, usersB)) {
            if (p.process != null) {
                Stack.stop(p.process, delaySeconds + timeoutSeconds + 10);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ report

    private void report(FaultTable table, List<Replacement> rollout, Ledger.Result result,
                        List<DeadLetterWatch.DeadLetter> letters, double seconds, double recover) {
        List<String> notes = traffic.notes(rate, seconds);
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
                + " then user-service ×2 (SIGTERM, replace, next)", traffic.updatesSent.get(), result.acknowledged(), result.visible(),
                Math.max(0, result.missing() - letters.size()), result.duplicated(), 0, letters.size(),
                (int) letters.stream().filter(DeadLetterWatch.DeadLetter::hasReason).count(), 0, 0, recover,
                String.join("; ", notes)));
        verdicts(table, rollout, result, letters);
    }

    private void verdicts(FaultTable table, List<Replacement> rollout, Ledger.Result result, List<DeadLetterWatch.DeadLetter> letters) {
        long bound = delaySeconds + timeoutSeconds;
        long lost = Math.max(0, result.missing() - letters.size());
        table.addVerdict(new FaultTable.Verdict("rolling restart: 0 updates answered 2xx lost or duplicated",
                lost + " lost, " + result.duplicated() + " duplicated of " + result.acknowledged(),
                lost == 0 && result.duplicated() == 0 && letters.isEmpty()));
        table.addVerdict(new FaultTable.Verdict("rolling restart: 0 updates failed for good (retried on the other instance)",
                traffic.failedForGood.get() + " of " + traffic.updatesSent.get(), traffic.failedForGood.get() == 0));
        table.addVerdict(new FaultTable.Verdict("rolling restart: 0 non-2xx answers to the reader",
                traffic.readsNot2xx.get() + " of " + traffic.reads.get(), traffic.readsNot2xx.get() == 0 && traffic.reads.get() > 0));
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
}
