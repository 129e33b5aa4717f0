// Over 350 lines: the cold ingest workload, its latency run and the original bot's per-update upsert side by side. Splitting the benchmarks by phase, with one shared report writer, is issue 15's
// planned step ("Benchmarks split by phase"); it was left for that issue so as not to collide with this session's merges.
package dev.tgregistry.bench;

import org.HdrHistogram.Histogram;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end ingest benchmark: HTTP → bot-ingest → Kafka → user-service → PostgreSQL, on a fresh stack.
 * Phases: (a) throughput, (b) event→row latency at a fixed offered rate, (c) the original bot's per-update
 * connection + upsert on the same PostgreSQL, (d) RSS of both services throughout. See bench/README.md.
 */
public final class IngestBenchmark {

    static final String USAGE = String.join("\n",
            "usage: bench/run ingest [options]",
            "  --root DIR            repository root (default .)",
            "  --updates N           throughput phase: user-seen updates (default 200000)",
            "  --batch N             updates per HTTP request in the throughput phase (default 500)",
            "  --senders N           concurrent HTTP senders (default 4)",
            "  --warmup N            updates sent first to warm the services up, not measured (default 20000)",
            "  --rate N              latency phase: offered updates/s (default 5000)",
            "  --seconds N           latency phase duration (default 30)",
            "  --latency-batch N     updates per request in the latency phase (default 50)",
            "  --poll-ms N           latency phase: row polling interval (default 20)",
            "  --baseline N          original-bot upserts, one connection each (default 5000)",
            "  --child-jvm-opts S    JVM options for both services (default: LocalRun.SERVICE_JVM_OPTS)",
            "  --preload N           users COPYed into the fresh database before the services start (default 1000000)",
            "  --known N             steady: returning users drawn from the preloaded ones (default 50000)",
            "  --steady N            steady: sightings (default 1000000)",
            "  --zipf-s X            steady: Zipf exponent of the rank → user skew (default 1.1)",
            "  --change-pct X        steady: % of sightings with a changed first name or username (default 1)",
            "  --mixed N             mixed: sightings, plus one bot event per 3 and a trickle of bookings/registrations (default 300000)",
            "  --drain N             consumer alone: records per kind (cold, steady) produced straight into Kafka (default 200000)",
            "  --ceiling N           ceiling: rows per kind (cold, steady) per statement variant (default 100000)",
            "  --per-record N        per-record consumer: records consumed (default 50000)",
            "  --commit-interval-ms N  services' Kafka offset-commit interval (throttled strategy), so that completion by",
            "                        offsets is late by at most this (default 500; the services' own default is 5000)",
            "  --scale-out           also run the scale-out workload (off by default: restarts the services, adds minutes)",
            "  --partitions N        scale-out: partitions of the four record topics (default 6)",
            "  --scale-out-sightings N  scale-out: steady sightings per instance count (default 300000)",
            "  --only LIST           run only these workloads (comma-separated): " + String.join(",", Workloads.ALL),
            "  --skip LIST           run all but these; also --skip-throughput (= cold) / --skip-latency / --skip-baseline");

    // id ranges (all above 2^32, like real Telegram ids today)
    private static final long WARMUP_BASE = 5_000_000_000L;
    private static final long THROUGHPUT_BASE = 6_000_000_000L;
    private static final long LATENCY_BASE = 7_000_000_000L;
    private static final long BASELINE_BASE = 8_000_000_000L;
    private static final long STEADY_LATENCY_BASE = 7_500_000_000L;

    private static final double TARGET_THROUGHPUT = 20_000;
    private static final double TARGET_RATIO = 30;
    private static final double TARGET_P99_MS = 1000;
    private static final double TARGET_RSS_MB = 300;

    final Path root;
    private final int updates;
    final int batch;
    final int senders;
    private final int warmup;
    final int rate;
    private final int seconds;
    private final int latencyBatch;
    private final int pollMs;
    private final int baseline;
    private final String childJvmOpts;
    private final boolean skipThroughput;
    private final boolean skipLatency;
    private final boolean skipBaseline;
    final Workloads workloads;
    private final int preload;
    final int known;
    final int steadyCount;
    final double zipfS;
    final double changePct;
    final int mixedCount;
    final int drainCount;
    final int ceilingCount;
    final int perRecordCount;
    private final int commitIntervalMs;
    final int partitions;
    final int scaleOutSightings;
    final List<String[]> summary = new ArrayList<>();
    OffsetWatch offsets;
    SteadyStream steadyStream;
    private double preloadSeconds = Double.NaN;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final Report report = new Report();
    final Names names = new Names(42);
    Stack stack;
    Stack.Service userService;
    Stack.Service botIngest;
    IngestClient ingest;
    RssSampler rss;
    private CpuMeter cpu;
    long updateIds = 1;

    private IngestBenchmark(Bench.Args a) {
        root = Path.of(a.string("root", ".")).toAbsolutePath().normalize();
        updates = a.integer("updates", 200_000);
        batch = a.integer("batch", 500);
        senders = a.integer("senders", 4);
        warmup = a.integer("warmup", 20_000);
        rate = a.integer("rate", 5_000);
        seconds = a.integer("seconds", 30);
        latencyBatch = a.integer("latency-batch", 50);
        pollMs = a.integer("poll-ms", 20);
        baseline = a.integer("baseline", 5_000);
        childJvmOpts = a.string("child-jvm-opts", "");
        skipThroughput = a.flag("skip-throughput");
        skipLatency = a.flag("skip-latency");
        skipBaseline = a.flag("skip-baseline");
        preload = a.integer("preload", 1_000_000);
        known = a.integer("known", 50_000);
        steadyCount = a.integer("steady", 1_000_000);
        zipfS = Double.parseDouble(a.string("zipf-s", "1.1"));
        changePct = Double.parseDouble(a.string("change-pct", "1"));
        mixedCount = a.integer("mixed", 300_000);
        drainCount = a.integer("drain", 200_000);
        ceilingCount = a.integer("ceiling", 100_000);
        perRecordCount = a.integer("per-record", 50_000);
        commitIntervalMs = a.integer("commit-interval-ms", 500);
        partitions = a.integer("partitions", 6);
        scaleOutSightings = a.integer("scale-out-sightings", 300_000);
        workloads = Workloads.parse(a.string("only", ""), a.string("skip", ""), a.flag("scale-out"), skipThroughput, skipLatency,
                skipBaseline);
        a.done();
    }

    public static void main(String[] args) throws Exception {
        Bench.Args a = new Bench.Args(args, USAGE, "skip-throughput", "skip-latency", "skip-baseline", "scale-out");
        int exit = new IngestBenchmark(a).run();
        System.exit(exit);
    }

    private int run() throws Exception {
        Stack.requirePortsFree(55432, 9092, 8080, 8081, 9000, 9001);
        if (workloads.has("scale-out")) {
            Stack.requirePortsFree(ScaleOut.SECOND_PORT, ScaleOut.SECOND_PORT + 1000);
        }
        report.line("## Ingest benchmark").line("")
                .line("- date: " + Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC")
                .line("- machine: " + Bench.machine())
                .line("- code: " + Bench.commit(root))
                .line("- stack: fresh PostgreSQL 17 (temporary data dir, LocalPostgres defaults), Kafka in the benchmark JVM,"
                        + " services from */target/quarkus-app");
        List<Boolean> verdicts = new ArrayList<>();
        String serviceOpts = (childJvmOpts.isBlank() ? dev.tgregistry.localstack.LocalRun.SERVICE_JVM_OPTS : childJvmOpts)
                + " -Dmp.messaging.connector.smallrye-kafka.auto.commit.interval.ms=" + commitIntervalMs;
        try (Stack s = new Stack(root, root.resolve("bench/target/bench-logs/ingest"), serviceOpts);
             RssSampler sampler = new RssSampler(200)) {
            stack = s;
            rss = sampler;
            report.line("- service JVM options: `" + s.childJvmOpts() + "`" + (childJvmOpts.isBlank() ? " (LocalRun's + the offset-commit"
                    + " interval, so that completion by committed offsets is at most " + commitIntervalMs + " ms late)" : ""));
            report.line("- workloads: " + workloads);
            s.startPostgres(null, Map.of());
            if (preload > 0 && workloads.needsPreload()) {
                preloadSeconds = UserPreload.load(s, root, preload);
                report.line(String.format(Locale.ROOT, "- users preloaded: %,d (GenerateData's COPY loader, indexes built after the"
                        + " copy, VACUUM ANALYZE) in %.0f s, before the services started; every workload runs on top of them", preload, preloadSeconds));
            }
            s.startKafka();
            offsets = new OffsetWatch(s.bootstrapServers());
            userService = s.startUserService();
            botIngest = s.startBotIngest();
            ingest = new IngestClient(botIngest.baseUrl());
            s.awaitReady(userService, Duration.ofSeconds(180));
            s.awaitReady(botIngest, Duration.ofSeconds(180));
            rss.watch("user-service", userService.pid());
            rss.watch("bot-ingest", botIngest.pid());
            cpu = new CpuMeter();
            long self = ProcessHandle.current().pid();
            cpu.group("bench JVM (load generator + Kafka broker)", () -> List.of(self));
            cpu.group("bot-ingest", () -> List.of(botIngest.pid()));
            cpu.group("user-service", () -> List.of(userService.pid()));
            long postmaster = CpuMeter.postmasterPid(s.postgres().dataDir());
            cpu.group("PostgreSQL (all backends)", () -> CpuMeter.withDescendants(postmaster));
            Map<String, Double> idle = rss.currentMb();
            report.line("- RSS after start-up (idle): user-service " + Bench.fmt(idle.get("user-service")) + " MB, bot-ingest "
                    + Bench.fmt(idle.get("bot-ingest")) + " MB");

            double throughput = Double.NaN;
            if (workloads.has("cold")) {
                if (warmup > 0) {
                    Bench.log("warm-up: " + warmup + " updates");
                    push(WARMUP_BASE, warmup, false);
                }
                rss.resetPhase();
                throughput = push(THROUGHPUT_BASE, updates, true);
            }
            double p99 = Double.NaN;
            if (workloads.has("latency")) {
                rss.resetPhase();
                p99 = latency(null);
            }
            ReturningUsers returning = new ReturningUsers(this);
            returning.runAll();
            double baselineRate = Double.NaN;
            if (workloads.has("baseline")) {
                baselineRate = baseline();
            }
            Map<String, Double> runMax = rss.runMaxMb();

            report.line("").line("### Targets").table("target", "measured", "verdict");
            if (!Double.isNaN(throughput)) {
                boolean ok = throughput >= TARGET_THROUGHPUT;
                verdicts.add(ok);
                report.row("≥ 20,000 user-seen/s end to end", Bench.fmt(throughput) + " /s", Bench.passMiss(ok));
            }
            if (!Double.isNaN(throughput) && !Double.isNaN(baselineRate)) {
                double ratio = throughput / baselineRate;
                boolean ok = ratio >= TARGET_RATIO;
                verdicts.add(ok);
                report.row("≥ 30× the original per-update upsert", Bench.fmt(ratio) + "× (" + Bench.fmt(throughput) + " vs "
                        + Bench.fmt(baselineRate) + " /s)", Bench.passMiss(ok));
            }
            if (!Double.isNaN(p99)) {
                boolean ok = p99 < TARGET_P99_MS;
                verdicts.add(ok);
                report.row("event→row p99 < 1 s at " + String.format(Locale.ROOT, "%,d", rate) + "/s", Bench.fmt(p99) + " ms", Bench.passMiss(ok));
            }
            returning.targets(throughput, verdicts);
            for (String svc : runMax.keySet()) {
                double mb = runMax.getOrDefault(svc, Double.NaN);
                boolean ok = mb < TARGET_RSS_MB;
                verdicts.add(ok);
                report.row(svc + " RSS < 300 MB (max over the run)", Bench.fmt(mb) + " MB", Bench.passMiss(ok));
            }
        }
        if (offsets != null) {
            offsets.close();
        }
        finish("ingest");
        return 0;
    }

    private void finish(String prefix) {
        report.publish(root, prefix, Report.Copy.WORKING_ONLY);
    }

    // ------------------------------------------------------------------------------------------ (a) throughput

    /** Sends {@code n} updates (distinct users from {@code base}); returns end-to-end records/s when measured. */
    private double push(long base, int n, boolean measured) throws Exception {
        int batches = (n + batch - 1) / batch;
        Bench.log("building " + batches + " request bodies of " + batch + " updates");
        List<byte[]> bodies = new ArrayList<>(batches);
        long date = Instant.now().getEpochSecond();
        for (int b = 0; b < batches; b++) {
            int count = Math.min(batch, n - b * batch);
            bodies.add(Updates.batch(names, updateIds, base + (long) b * batch, count, date));
            updateIds += count;
        }
        long bytes = bodies.stream().mapToLong(x -> x.length).sum();

        String metricsBefore = new Metrics(userService.managementUrl()).scrape();
        String ingestBefore = new Metrics(botIngest.managementUrl()).scrape();
        var cpuBefore = cpu.snapshot();
        WaitSampler waits = measured ? new WaitSampler(stack, 20) : null;
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        AtomicLong retries = new AtomicLong();
        List<Histogram> perSender = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<Future<?>> futures = new ArrayList<>();
        Bench.log((measured ? "throughput: " : "warm-up: ") + "sending " + n + " updates with " + senders + " senders");
        long t0 = System.nanoTime();
        for (int i = 0; i < senders; i++) {
            Histogram h = Bench.histogram();
            perSender.add(h);
            futures.add(pool.submit(() -> {
                int k;
                while ((k = next.getAndIncrement()) < bodies.size()) {
                    byte[] body = bodies.get(k);
                    for (int attempt = 1; ; attempt++) {
                        long s0 = System.nanoTime();
                        int status = post(body);
                        h.recordValue(Math.max(1, (System.nanoTime() - s0) / 1000));
                        if (status == 202) {
                            break;
                        }
                        if (attempt == 5) {
                            failures.incrementAndGet();
                            break;
                        }
                        retries.incrementAndGet();
                        Bench.sleep(200L * attempt);
                    }
                }
                return null;
            }));
        }
        // poll the table while sending: visible count of this phase's id range
        long httpDone = -1;
        long visibleAt = -1;
        long lastCount = 0;
        long lastLog = t0;
        long progressCount = -1;
        long progressAt = t0;
        try (Connection c = stack.connect();
             PreparedStatement count = c.prepareStatement("SELECT count(*) FROM users WHERE user_id >= ? AND user_id < ?")) {
            count.setLong(1, base);
            count.setLong(2, base + n);
            long deadline = t0 + Duration.ofMinutes(15).toNanos();
            while (System.nanoTime() < deadline) {
                if (httpDone < 0 && futures.stream().allMatch(Future::isDone)) {
                    httpDone = System.nanoTime();
                    Bench.log(String.format(Locale.ROOT, "  all HTTP requests answered after %.2f s", (httpDone - t0) / 1e9));
                }
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    lastCount = rs.getLong(1);
                }
                long now = System.nanoTime();
                if (lastCount >= n) {
                    visibleAt = now;
                    break;
                }
                if (lastCount != progressCount) {
                    progressCount = lastCount;
                    progressAt = now;
                } else if (httpDone > 0 && now - progressAt > 60_000_000_000L) {
                    Bench.log("  no new rows for 60 s after the last HTTP answer (" + failures.get() + " failed requests); giving up");
                    break;
                }
                if (now - lastLog > 2_000_000_000L) {
                    lastLog = now;
                    Bench.log(String.format(Locale.ROOT, "  %.1f s: %,d requests sent, %,d rows visible", (now - t0) / 1e9,
                            Math.min(next.get(), bodies.size()), lastCount));
                }
                Bench.sleep(100);
            }
        }
        pool.shutdown();
        for (Future<?> f : futures) {
            f.get();
        }
        if (httpDone < 0) {
            httpDone = System.nanoTime();
        }
        var cpuAfter = cpu.snapshot();
        String waitSummary = "";
        if (waits != null) {
            waits.close();
            waitSummary = waits.summary();
        }
        String metricsAfter = new Metrics(userService.managementUrl()).scrape();
        String ingestAfter = new Metrics(botIngest.managementUrl()).scrape();
        if (visibleAt < 0) {
            Bench.log("  NOT all rows visible after 15 min: " + lastCount + " of " + n);
        }
        double e2eSeconds = ((visibleAt < 0 ? System.nanoTime() : visibleAt) - t0) / 1e9;
        double httpSeconds = (httpDone - t0) / 1e9;
        double e2eRate = visibleAt < 0 ? lastCount / e2eSeconds : n / e2eSeconds;
        double httpRate = n / httpSeconds;
        Bench.log(String.format(Locale.ROOT, "  %s: HTTP accepted %,d in %.2f s (%,.0f/s); all visible after %.2f s (%,.0f/s)",
                measured ? "throughput" : "warm-up", n, httpSeconds, httpRate, e2eSeconds, e2eRate));
        if (!measured) {
            return e2eRate;
        }
        Histogram h = Bench.histogram();
        perSender.forEach(h::add);
        Map<String, Double> cpuSec = CpuMeter.seconds(cpuBefore, cpuAfter);
        Map<String, Double> rssMax = rss.phaseMaxMb();

        report.line("").line(String.format(Locale.ROOT, "### (a) Throughput: %,d updates, %d per request, %d concurrent senders"
                        + " (after %,d warm-up updates)", n, batch, senders, warmup))
                .table("measure", "value");
        report.row("end to end (first request sent → `count(*)` of the range = N, polled every 100 ms)",
                String.format(Locale.ROOT, "**%,.0f updates/s** (%.2f s)", e2eRate, e2eSeconds));
        report.row("HTTP accept rate (202 = Kafka acknowledged)", String.format(Locale.ROOT, "%,.0f updates/s (%.2f s), %.1f MB of JSON",
                httpRate, httpSeconds, bytes / 1e6));
        report.row("HTTP request latency (" + batch + " updates) p50 / p99 / max", Bench.fmt(Bench.ms(h, 50)) + " / "
                + Bench.fmt(Bench.ms(h, 99)) + " / " + Bench.fmt(h.getMaxValue() / 1000.0) + " ms");
        report.row("failed requests / retries (non-202)", failures.get() + " / " + retries.get());
        // consumer-side figures from user-service's own metrics
        String topic = "topic=\"telegram.user-seen.v1\"";
        double batchesDone = Metrics.delta(metricsBefore, metricsAfter, "registry_batch_write_seconds_count", topic);
        double writeSec = Metrics.delta(metricsBefore, metricsAfter, "registry_batch_write_seconds_sum", topic);
        double recs = Metrics.delta(metricsBefore, metricsAfter, "registry_batch_size_sum", topic);
        if (batchesDone > 0) {
            report.row("user-service consumer: batches, mean batch size, mean DB write per batch",
                    String.format(Locale.ROOT, "%,.0f batches, %,.0f records, %.1f ms (%.1f s of %.1f s wall in DB writes)",
                            batchesDone, recs / batchesDone, writeSec * 1000 / batchesDone, writeSec, e2eSeconds));
        }
        Map<String, Double> ingestTime = Metrics.serverTime(ingestBefore, ingestAfter, "/telegram/updates");
        if (ingestTime.get("count") > 0) {
            report.row("bot-ingest server time per request (mean, http.server.requests)", Bench.fmt(ingestTime.get("mean_ms")) + " ms");
        }
        StringBuilder cpuText = new StringBuilder();
        cpuSec.forEach((k, v) -> {
            if (!k.equals(CpuMeter.MACHINE)) {
                cpuText.append(cpuText.length() == 0 ? "" : ", ").append(k).append(' ')
                        .append(String.format(Locale.ROOT, "%.1f s (%.0f%%)", v, 100 * v / (Runtime.getRuntime().availableProcessors() * e2eSeconds)));
            }
        });
        double others = CpuMeter.othersShare(cpuBefore, cpuAfter, e2eSeconds);
        cpuText.append(String.format(Locale.ROOT, "; other processes on the machine %.0f%%%s", 100 * others,
                others > 0.05 ? " — NOT an idle machine, figures are low" : ""));
        report.row("CPU time during the phase (share of all cores)", cpuText);
        report.row("PostgreSQL activity of the services' sessions (pg_stat_activity every 20 ms; % of samples)", waitSummary);
        report.row("max RSS during the phase", "user-service " + Bench.fmt(rssMax.get("user-service")) + " MB, bot-ingest "
                + Bench.fmt(rssMax.get("bot-ingest")) + " MB");
        return e2eRate;
    }

    private int post(byte[] body) {
        return ingest.status("/telegram/updates", body);
    }

    // ------------------------------------------------------------------------------------------ (b) latency

    /**
     * Offers {@code rate} updates/s as batches of {@code latencyBatch} on a fixed schedule (sends are asynchronous,
     * so a slow answer never delays the next send). Every update is a new user id, and the wall-clock send time of
     * its batch is kept. A poller asks PostgreSQL every {@code pollMs} which of the sent-but-unseen ids are visible
     * ({@code user_id = ANY(pending)}, primary key): an id's latency is the time the poll that first saw it started
     * minus its send time, an upper bound that is at most one poll interval (plus the poll's own time) late. The
     * row's {@code updated_at} (now() of the consumer's transaction, same machine clock) minus the send time is
     * reported too: a lower bound, as it misses the transaction's own duration up to its commit.
     */
    double latency(SteadyStream steady) throws Exception {
        int batches = rate * seconds / latencyBatch;
        // cold: every update a new user, all tracked; steady: returning users, the last update of each request a
        // marker (a new user id) whose visibility is tracked
        int perBatch = steady == null ? latencyBatch : 1;
        long base = steady == null ? LATENCY_BASE : STEADY_LATENCY_BASE;
        int total = batches * perBatch;
        long intervalNanos = 1_000_000_000L * latencyBatch / rate;
        Bench.log(String.format(Locale.ROOT, "latency%s: %,d updates/s as %d per request every %.1f ms for %d s (%,d tracked)",
                steady == null ? "" : " (steady)", rate, latencyBatch, intervalNanos / 1e6, seconds, total));
        byte[][] bodies = new byte[batches][];
        long date = Instant.now().getEpochSecond() + 5;
        for (int b = 0; b < batches; b++) {
            if (steady == null) {
                bodies[b] = Updates.batch(names, updateIds, LATENCY_BASE + (long) b * latencyBatch, latencyBatch, date);
            } else {
                SteadyStream.Sighting[] s = new SteadyStream.Sighting[latencyBatch];
                System.arraycopy(steady.next(latencyBatch - 1, Math.max(date, steady.lastDate()), 1_000_000), 0, s, 0, latencyBatch - 1);
                s[latencyBatch - 1] = new SteadyStream.Sighting(base + b, names.telegramUser(), date);
                bodies[b] = SteadyStream.body(s, 0, latencyBatch, updateIds);
            }
            updateIds += latencyBatch;
        }
        long[] sentWall = new long[batches];
        AtomicInteger sentCount = new AtomicInteger();
        Histogram httpLatency = Bench.histogram();
        AtomicLong httpFailures = new AtomicLong();
        var cpuBefore = cpu.snapshot();
        String metricsBefore = new Metrics(userService.managementUrl()).scrape();

        Thread scheduler = new Thread(() -> {
            long start = System.nanoTime() + 50_000_000L;
            for (int b = 0; b < batches; b++) {
                long due = start + b * intervalNanos;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                HttpRequest req = ingest.request("/telegram/updates", bodies[b]);
                long s0 = System.nanoTime();
                sentWall[b] = System.currentTimeMillis();
                sentCount.set(b + 1);
                http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, err) -> {
                    long us = Math.max(1, (System.nanoTime() - s0) / 1000);
                    synchronized (httpLatency) {
                        httpLatency.recordValue(Math.min(us, 600_000_000L));
                    }
                    if (err != null || r.statusCode() != 202) {
                        httpFailures.incrementAndGet();
                    }
                });
            }
        }, "latency-scheduler");

        Histogram visible = Bench.histogram();
        Histogram committedLower = Bench.histogram();
        long negativeLower = 0;
        boolean[] seen = new boolean[total];
        int seenCount = 0;
        int minPending = 0;
        long polls = 0;
        long pollNanos = 0;
        long t0 = System.nanoTime();
        scheduler.start();
        try (Connection c = stack.connect();
             PreparedStatement q = c.prepareStatement(
                     "SELECT user_id, (extract(epoch FROM updated_at) * 1000)::bigint FROM users WHERE user_id = ANY(?)")) {
            long deadline = t0 + Duration.ofSeconds(seconds + 120L).toNanos();
            long nextPoll = System.nanoTime();
            while (seenCount < total && System.nanoTime() < deadline) {
                int sentBatches = sentCount.get();
                int maxIdx = sentBatches * perBatch;
                while (minPending < maxIdx && seen[minPending]) {
                    minPending++;
                }
                List<Long> pending = new ArrayList<>();
                for (int i = minPending; i < maxIdx && pending.size() < 50_000; i++) {
                    if (!seen[i]) {
                        pending.add(base + i);
                    }
                }
                if (!pending.isEmpty()) {
                    Array arr = c.createArrayOf("bigint", pending.toArray());
                    q.setArray(1, arr);
                    long pollWall = System.currentTimeMillis();
                    long p0 = System.nanoTime();
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            int i = (int) (rs.getLong(1) - base);
                            if (seen[i]) {
                                continue;
                            }
                            seen[i] = true;
                            seenCount++;
                            long sent = sentWall[i / perBatch];
                            visible.recordValue(Math.max(1, (pollWall - sent) * 1000));
                            long lower = rs.getLong(2) - sent;
                            if (lower < 0) {
                                negativeLower++;
                            }
                            committedLower.recordValue(Math.max(1, lower * 1000));
                        }
                    }
                    pollNanos += System.nanoTime() - p0;
                    polls++;
                    arr.free();
                }
                nextPoll += pollMs * 1_000_000L;
                long wait = nextPoll - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else {
                    nextPoll = System.nanoTime();
                }
            }
        }
        scheduler.join();
        double wall = (System.nanoTime() - t0) / 1e9;
        var cpuAfter = cpu.snapshot();
        String metricsAfter = new Metrics(userService.managementUrl()).scrape();
        Bench.sleep(500); // let the last answers arrive
        Map<String, Double> rssMax = rss.phaseMaxMb();
        Map<String, Double> cpuSec = CpuMeter.seconds(cpuBefore, cpuAfter);
        double p99 = Bench.ms(visible, 99);
        Bench.log(String.format(Locale.ROOT, "  latency: %,d of %,d rows seen; p50 %.1f ms, p99 %.1f ms", seenCount, total,
                Bench.ms(visible, 50), p99));

        report.line("").line(String.format(Locale.ROOT, "### (b%s) Latency at a fixed offered rate%s: %,d updates/s for %d s"
                + " (%d per request every %.0f ms, asynchronous sends)", steady == null ? "" : "2", steady == null
                ? ", new users" : ", returning users (steady; the last update of each request a new-user marker, markers tracked)",
                rate, seconds, latencyBatch, intervalNanos / 1e6));
        report.table("measure", "p50", "p90", "p99", "p99.9", "max");
        report.row("event→row, observed by polling every " + pollMs + " ms (upper bound, used for the target)",
                Bench.fmt(Bench.ms(visible, 50)), Bench.fmt(Bench.ms(visible, 90)), "**" + Bench.fmt(p99) + "**",
                Bench.fmt(Bench.ms(visible, 99.9)), Bench.fmt(visible.getMaxValue() / 1000.0));
        report.row("event→`updated_at` (consumer transaction start; lower bound)", Bench.fmt(Bench.ms(committedLower, 50)),
                Bench.fmt(Bench.ms(committedLower, 90)), Bench.fmt(Bench.ms(committedLower, 99)),
                Bench.fmt(Bench.ms(committedLower, 99.9)), Bench.fmt(committedLower.getMaxValue() / 1000.0));
        report.row("HTTP request (" + latencyBatch + " updates) until 202", Bench.fmt(Bench.ms(httpLatency, 50)),
                Bench.fmt(Bench.ms(httpLatency, 90)), Bench.fmt(Bench.ms(httpLatency, 99)),
                Bench.fmt(Bench.ms(httpLatency, 99.9)), Bench.fmt(httpLatency.getMaxValue() / 1000.0));
        report.line("").line(String.format(Locale.ROOT, "Rows seen: %,d of %,d; non-202 answers: %d; polls: %,d (mean %.1f ms each);"
                        + " updated_at before send time (clock granularity): %d.", seenCount, total, httpFailures.get(), polls,
                polls == 0 ? 0 : pollNanos / 1e6 / polls, negativeLower));
        String topic = "topic=\"telegram.user-seen.v1\"";
        double batchesDone = Metrics.delta(metricsBefore, metricsAfter, "registry_batch_write_seconds_count", topic);
        double writeSec = Metrics.delta(metricsBefore, metricsAfter, "registry_batch_write_seconds_sum", topic);
        double recs = Metrics.delta(metricsBefore, metricsAfter, "registry_batch_size_sum", topic);
        if (batchesDone > 0) {
            report.line(String.format(Locale.ROOT, "user-service consumer: %,.0f batches, mean %,.0f records, mean DB write %.1f ms,"
                            + " max DB write %.0f ms (registry.batch.write max, recent window); %.1f s of %.1f s wall in DB writes.",
                    batchesDone, recs / batchesDone, writeSec * 1000 / batchesDone,
                    Metrics.sum(metricsAfter, "registry_batch_write_seconds_max", topic) * 1000, writeSec, wall));
        }
        StringBuilder cpuText = new StringBuilder();
        cpuSec.forEach((k, v) -> {
            if (!k.equals(CpuMeter.MACHINE)) {
                cpuText.append(cpuText.length() == 0 ? "" : ", ").append(k).append(' ')
                        .append(String.format(Locale.ROOT, "%.0f%%", 100 * v / (Runtime.getRuntime().availableProcessors() * wall)));
            }
        });
        double others = CpuMeter.othersShare(cpuBefore, cpuAfter, wall);
        cpuText.append(String.format(Locale.ROOT, ", other processes on the machine %.0f%%%s", 100 * others,
                others > 0.05 ? " (NOT an idle machine)" : ""));
        report.line("CPU share of all cores during the phase: " + cpuText + ". Max RSS: user-service "
                + Bench.fmt(rssMax.get("user-service")) + " MB, bot-ingest " + Bench.fmt(rssMax.get("bot-ingest")) + " MB.");
        return seenCount < total ? Double.POSITIVE_INFINITY : p99;
    }

    // ------------------------------------------------------------------------------------------ (c) baseline

    /**
     * The original bot's write path on the same PostgreSQL: per update a new connection, one single-row
     * INSERT ... ON CONFLICT DO UPDATE, commit, close; synchronous, one thread. Into a table shaped like the
     * original's users table (primary key plus plain btree indexes on username and first_name), so that the
     * registry's tables and counts are untouched.
     */
    private double baseline() throws SQLException {
        Bench.log("baseline: " + baseline + " upserts, a new connection each");
        try (Connection c = stack.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE bench_original_users (user_id BIGINT PRIMARY KEY, username TEXT, first_name TEXT,"
                    + " last_name TEXT, language_code TEXT, first_seen_at TIMESTAMPTZ DEFAULT now(), updated_at TIMESTAMPTZ DEFAULT now())");
            st.execute("CREATE INDEX bench_original_users_username ON bench_original_users (username)");
            st.execute("CREATE INDEX bench_original_users_first_name ON bench_original_users (first_name)");
        }
        String url = stack.postgres().jdbcUrl();
        String sql = "INSERT INTO bench_original_users (user_id, username, first_name, last_name, language_code, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, now()) ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username,"
                + " first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,"
                + " language_code = EXCLUDED.language_code, updated_at = now()";
        int warm = Math.min(200, baseline / 10);
        Histogram h = Bench.histogram();
        long t0 = 0;
        for (int i = -warm; i < baseline; i++) {
            if (i == 0) {
                t0 = System.nanoTime();
            }
            Names.Person p = names.telegramUser();
            long s0 = System.nanoTime();
            try (Connection c = DriverManager.getConnection(url, "postgres", "postgres")) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, BASELINE_BASE + warm + i);
                    ps.setString(2, p.username());
                    ps.setString(3, p.firstName());
                    ps.setString(4, p.lastName());
                    ps.setString(5, p.languageCode());
                    ps.executeUpdate();
                }
                c.commit();
            }
            if (i >= 0) {
                h.recordValue(Math.max(1, (System.nanoTime() - s0) / 1000));
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double ratePerSec = baseline / secs;
        try (Connection c = stack.connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE bench_original_users");
        }
        Bench.log(String.format(Locale.ROOT, "  baseline: %,.0f upserts/s", ratePerSec));
        report.line("").line(String.format(Locale.ROOT, "### (c) Baseline: the original bot's upsert, %,d updates", baseline))
                .line("")
                .line("New JDBC connection per update, one single-row `INSERT ... ON CONFLICT (user_id) DO UPDATE`, commit,"
                        + " close; one thread, same PostgreSQL (fsync on, synchronous_commit on), into a table shaped like the"
                        + " original `users` (primary key + btree on username and first_name); " + warm + " warm-up upserts first.")
                .table("measure", "value")
                .row("rate", String.format(Locale.ROOT, "**%,.0f updates/s** (%.2f s)", ratePerSec, secs))
                .row("per update p50 / p99", Bench.fmt(Bench.ms(h, 50)) + " / " + Bench.fmt(Bench.ms(h, 99)) + " ms");
        return ratePerSec;
    }
}
