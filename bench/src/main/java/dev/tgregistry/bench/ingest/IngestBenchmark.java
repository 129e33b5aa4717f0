package dev.tgregistry.bench.ingest;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.generate.Names;
import dev.tgregistry.bench.generate.UserPreload;
import dev.tgregistry.bench.report.Report;
import dev.tgregistry.bench.stack.CpuMeter;
import dev.tgregistry.bench.stack.OffsetWatch;
import dev.tgregistry.bench.stack.RssSampler;
import dev.tgregistry.bench.stack.Stack;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * End-to-end ingest benchmark, HTTP → bot-ingest → Kafka → user-service → PostgreSQL on a fresh stack; its workloads:
 * bench/README.md, "bench/run ingest". The phases read the options and the running stack from this object.
 */
public final class IngestBenchmark {

    public static final String USAGE = String.join("\n",
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
            "  --child-jvm-opts S    JVM options for both services (default: StackStarter.SERVICE_JVM_OPTS)",
            "  --preload N           users COPYed into the fresh database before the services start (default 1000000)",
            "  --known N             steady: returning users drawn from the preloaded ones (default 50000)",
            "  --steady N            steady: sightings (default 1000000)",
            "  --zipf-s X            steady: Zipf exponent of the rank → user skew (default 1.1)",
            "  --change-pct X        steady: % of sightings with a changed first name or username (default 1)",
            "  --mixed N             mixed: sightings, plus one bot event per 3 and a trickle of bookings/registrations (default 300000)",
            "  --drain N             consumer alone: records per kind (cold, steady) produced straight into Kafka (default 200000)",
            "  --ceiling N           ceiling: rows per kind (cold, steady) per statement variant (default 100000)",
            "  --ceiling-variants L  ceiling: statement variants, e.g. unnest:2000,unnest:5000 (default: unnest"
                    + " 500/2000/5000; user-service's own statements)",
            "  --per-record N        per-record consumer: records consumed (default 50000)",
            "  --commit-interval-ms N  services' Kafka offset-commit interval (throttled strategy), so that completion by",
            "                        offsets is late by at most this (default 500; the services' own default is 5000)",
            "  --scale-out           also run the scale-out workload (off by default: restarts the services, adds minutes)",
            "  --partitions N        scale-out: partitions of the four record topics (default 6)",
            "  --scale-out-sightings N  scale-out: steady sightings per instance count (default 300000)",
            "  --scale-out-cold N    scale-out: new users per instance count, after the steady run (default 100000; 0 = none)",
            "  --only LIST           run only these workloads (comma-separated): " + String.join(",", Workloads.ALL),
            "  --skip LIST           run all but these");

    // id ranges (all above 2^32, like real Telegram ids today)
    private static final long WARMUP_BASE = 5_000_000_000L;
    private static final long THROUGHPUT_BASE = 6_000_000_000L;

    private static final double TARGET_THROUGHPUT = 20_000;
    private static final double TARGET_RATIO = 30;
    private static final double TARGET_P99_MS = 1000;
    private static final double TARGET_RSS_MB = 300;

    final Path root;
    public final int updates;
    final int batch;
    final int senders;
    public final int warmup;
    final int rate;
    final int seconds;
    final int latencyBatch;
    final int pollMs;
    private final int baseline;
    private final String childJvmOpts;
    final Workloads workloads;
    private final int preload;
    final int known;
    public final int steadyCount;
    final double zipfS;
    final double changePct;
    final int mixedCount;
    final int drainCount;
    final int ceilingCount;
    final List<int[]> ceilingVariants;
    final int perRecordCount;
    private final int commitIntervalMs;
    final int partitions;
    final int scaleOutSightings;
    final int scaleOutCold;
    final List<String[]> summary = new ArrayList<>();
    public OffsetWatch offsets;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final Report report;
    final Names names = new Names(42);
    Stack stack;
    public Stack.Service userService;
    Stack.Service botIngest;
    IngestClient ingest;
    RssSampler rss;
    public CpuMeter cpu;
    long updateIds = 1;

    /** @param report where the phases write their sections (the check shares its own) */
    public IngestBenchmark(Bench.Args a, Report report) {
        this.report = report;
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
        preload = a.integer("preload", 1_000_000);
        known = a.integer("known", 50_000);
        steadyCount = a.integer("steady", 1_000_000);
        zipfS = Double.parseDouble(a.string("zipf-s", "1.1"));
        changePct = Double.parseDouble(a.string("change-pct", "1"));
        mixedCount = a.integer("mixed", 300_000);
        drainCount = a.integer("drain", 200_000);
        ceilingCount = a.integer("ceiling", 100_000);
        ceilingVariants = CeilingWriter.parseVariants(a.string("ceiling-variants", ""));
        perRecordCount = a.integer("per-record", 50_000);
        commitIntervalMs = a.integer("commit-interval-ms", 500);
        partitions = a.integer("partitions", 6);
        scaleOutSightings = a.integer("scale-out-sightings", 300_000);
        scaleOutCold = a.integer("scale-out-cold", 100_000);
        workloads = Workloads.parse(a.string("only", ""), a.string("skip", ""), a.flag("scale-out"));
        a.done();
    }

    public static void main(String[] args) throws Exception {
        Bench.Args a = new Bench.Args(args, USAGE, "scale-out");
        int exit = new IngestBenchmark(a, new Report()).run();
        System.exit(exit);
    }

    private int run() throws Exception {
        Stack.requirePortsFree(55432, 9092, 8080, 8081, 9000, 9001);
        if (workloads.has("scale-out")) {
            Stack.requirePortsFree(ScaleOut.SECOND_PORT, ScaleOut.SECOND_PORT + 1000);
        }
        report.header("Ingest benchmark", root)
                .line("- stack: fresh PostgreSQL 17 (temporary data dir, LocalPostgres defaults), Kafka in the benchmark JVM,"
                        + " services from */target/quarkus-app");
        String serviceOpts = (childJvmOpts.isBlank() ? dev.tgregistry.localstack.StackStarter.SERVICE_JVM_OPTS : childJvmOpts)
                + " -Dmp.messaging.connector.smallrye-kafka.auto.commit.interval.ms=" + commitIntervalMs;
        try (Stack s = new Stack(root, root.resolve("bench/target/bench-logs/ingest"), serviceOpts);
             RssSampler sampler = new RssSampler(200)) {
            stack = s;
            rss = sampler;
            report.line("- service JVM options: `" + s.childJvmOpts() + "`" + (childJvmOpts.isBlank() ? " (LocalRun's + the offset-commit"
                    + " interval, so that completion by committed offsets is at most " + commitIntervalMs + " ms late)" : ""));
            report.line("- workloads: " + workloads);
            start(s, null, Map.of());
            phases();
        }
        if (offsets != null) {
            offsets.close();
        }
        report.publish(root, "ingest", Report.Copy.WORKING_ONLY);
        return 0;
    }

    /**
     * Starts the ingest side on {@code s} for a caller that owns the stack and the RSS sampler (the check): PostgreSQL
     * on {@code pgData} (an existing registry: no preload), Kafka, both services, the meters.
     */
    public void startOn(Stack s, RssSampler sampler, Path pgData, Map<String, String> pgSettings) throws Exception {
        stack = s;
        rss = sampler;
        start(s, pgData, pgSettings);
    }

    /**
     * PostgreSQL (a fresh one with the preloaded users when a workload needs them, or {@code pgData} as it is), Kafka,
     * both services, the meters.
     */
    private void start(Stack s, Path pgData, Map<String, String> pgSettings) throws Exception {
        s.startPostgres(pgData, pgSettings);
        if (pgData == null && preload > 0 && workloads.needsPreload()) {
            double preloadSeconds = UserPreload.load(s, root, preload);
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
    }

    private void phases() throws Exception {
        double throughput = workloads.has("cold") ? cold() : Double.NaN;
        double p99 = Double.NaN;
        if (workloads.has("latency")) {
            rss.resetPhase();
            p99 = latency(null);
        }
        ReturningUsers returning = new ReturningUsers(this);
        returning.runAll();
        double baselineRate = Double.NaN;
        if (workloads.has("baseline")) {
            baselineRate = new BaselinePhase(this, baseline).run();
        }
        targets(throughput, p99, baselineRate, returning, rss.runMaxMb());
    }

    /** The warm-up (not measured), then (a) throughput; returns the end-to-end rate (new users/s). */
    public double cold() throws Exception {
        ColdThroughputPhase cold = new ColdThroughputPhase(this);
        if (warmup > 0) {
            Bench.log("warm-up: " + warmup + " updates");
            cold.push(WARMUP_BASE, warmup, false);
        }
        rss.resetPhase();
        return cold.push(THROUGHPUT_BASE, updates, true);
    }

    /** (b) latency with new users ({@code steady} null) or (b2) with the steady stream's returning users. */
    double latency(SteadyStream steady) throws Exception {
        return new IngestLatencyPhase(this, steady).run();
    }

    private void targets(double throughput, double p99, double baselineRate, ReturningUsers returning, Map<String, Double> runMax) {
        List<Boolean> verdicts = new ArrayList<>();
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
}
