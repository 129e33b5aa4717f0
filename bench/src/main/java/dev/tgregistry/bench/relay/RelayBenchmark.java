package dev.tgregistry.bench.relay;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.report.Metrics;
import dev.tgregistry.bench.report.Report;
import dev.tgregistry.bench.stack.CpuMeter;
import dev.tgregistry.bench.stack.KafkaChild;
import dev.tgregistry.bench.stack.Stack;
import dev.tgregistry.localstack.KafkaTopics;
import dev.tgregistry.localstack.StackStarter;
import dev.tgregistry.localstack.PackagedService;
import dev.tgregistry.localstack.ServiceEnv;
import dev.tgregistry.model.Topics;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The webhook relay's added latency (issue 22): bench/README.md, "bench/run relay". */
public final class RelayBenchmark {
    static final String USAGE = String.join("\n",
            "usage: bench/run relay [options]",
            "  --root DIR            repository root (default .)",
            "  --rate N              updates/s, one update per request (default 500)",
            "  --seconds N           length of each measured run (default 30)",
            "  --warmup-seconds N    relay and direct load first; the relay's part is reported as the cold start (default 20)",
            "  --telegram-connections N  deliveries in flight at most, as Telegram's max_connections (default 40, Telegram's default)",
            "  --ingest-jvm-opts S   JVM options for bot-ingest after LocalRun's (e.g. a JFR recording; named in the report)");
    private static final double TARGET_ADDED_P99_MS = 5;
    private static final long FIRST_USER = 9_800_000_000L;
    private static final int REWARM_SECONDS = 5;

    private final Path root;
    private final int rate;
    private final int seconds;
    private final int warmupSeconds;
    private final int telegramConnections;
    /** From bot-ingest's launch to its readiness (the relay's warm-up included). */
    private double readySeconds;
    private final String extraIngestJvmOptions;
    private final Report report = new Report();
    private final List<Boolean> verdicts = new ArrayList<>();
    /** The Kafka child running now (stopped and started again by {@link #measure}); stopped at the end. */
    private Process kafka;
    private final CpuMeter cpu = new CpuMeter();

    private RelayBenchmark(Bench.Args a) {
        root = Path.of(a.string("root", ".")).toAbsolutePath().normalize();
        rate = a.integer("rate", 500);
        seconds = a.integer("seconds", 30);
        warmupSeconds = a.integer("warmup-seconds", 20);
        telegramConnections = a.integer("telegram-connections", 40);
        extraIngestJvmOptions = a.string("ingest-jvm-opts", "").strip();
        a.done();
    }

    public static void main(String[] args) throws Exception {
        System.exit(new RelayBenchmark(new Bench.Args(args, USAGE)).run());
    }

    private int run() throws Exception {
        report.header("Relay benchmark", root)
                .line(String.format(Locale.ROOT, "- load: %d updates/s, one update per request (as Telegram's webhook), fixed schedule with"
                        + " at most %d in flight (Telegram's max_connections; a later update waits as in Telegram's queue), latency from the"
                        + " scheduled send to the whole answer; %d s per run after %d s of warm-up", rate, telegramConnections, seconds, warmupSeconds))
                .line("- stub bot: JDK HTTP server in the benchmark JVM answering a webhook-reply body at once; Kafka a child"
                        + " process (stopped with SIGTERM for the Kafka-down runs); bot-ingest from bot-ingest/target/quarkus-app;"
                        + " all on free ports (not ./run-local's), so a local run elsewhere on the machine does not collide");
        if (!extraIngestJvmOptions.isEmpty()) {
            report.line("- bot-ingest's JVM options beyond LocalRun's: `" + extraIngestJvmOptions + "`");
        }
        Path kafkaDir = Files.createTempDirectory("bench-relay-kafka-");
        Path logs = root.resolve("bench/target/bench-logs/relay");
        Files.createDirectories(logs);
        int kafkaPort = freePort();
        kafka = KafkaChild.launch(kafkaPort, kafkaDir, Map.of(), logs.resolve("kafka.log"));
        try (StubWebhook bot = new StubWebhook(freePort())) {
            String bootstrap = "127.0.0.1:" + kafkaPort;
            KafkaTopics.create(bootstrap, 3, Topics.USER_SEEN);
            try (PackagedService ingest = startBotIngest(bootstrap, bot, logs)) {
                measure(ingest, bot, kafkaPort, kafkaDir, logs);
            }
        } finally {
            PackagedService.terminate(kafka, false, Duration.ofSeconds(60));
            dev.tgregistry.localstack.Util.deleteRecursively(kafkaDir);
        }
        report.publish(root, "relay", Report.Copy.toCommit(null));
        return 0;
    }

    /** bot-ingest as ./run-local and the other benchmarks start it (LocalRun's JVM options and env), in relay mode. */
    private PackagedService startBotIngest(String bootstrap, StubWebhook bot, Path logs) throws java.io.IOException {
        PackagedService ingest = PackagedService.builder("bot-ingest", root.resolve("bot-ingest/target/quarkus-app/quarkus-run.jar"))
                .workDir(root).jvmOptions((StackStarter.SERVICE_JVM_OPTS + " " + extraIngestJvmOptions).strip())
                .envDefaults(StackStarter.SERVICE_ENV).envDefaults(StackStarter.LOCAL_CONVENIENCES)
                .ports(freePort(), freePort())
                .env(Map.of(ServiceEnv.KAFKA_BOOTSTRAP_SERVERS, bootstrap, ServiceEnv.APP_INGEST_SECRET, Stack.INGEST_SECRET,
                        "APP_RELAY_TARGET_URL", bot.url(), "APP_RELAY_TARGET_SECRET", StubWebhook.SECRET))
                .logFile(logs.resolve("bot-ingest.log")).start();
        long started = System.nanoTime();
        ingest.awaitReady(Duration.ofSeconds(180));
        readySeconds = (System.nanoTime() - started) / 1e9;
        Bench.log(String.format(Locale.ROOT, "bot-ingest is ready (pid %d) in relay mode after %.1f s", ingest.pid(), readySeconds));
        return ingest;
    }

    private void measure(PackagedService ingest, StubWebhook bot, int kafkaPort, Path kafkaDir, Path logs) throws Exception {
        String relayUrl = ingest.baseUrl() + "/telegram/updates";
        Metrics metrics = new Metrics(ingest.managementUrl());
        cpu.group("bot-ingest", () -> List.of(ingest.pid()));
        cpu.group("Kafka", () -> kafka.isAlive() ? List.of(kafka.pid()) : List.of());
        cpu.group("bench JVM (load, stub bot)", () -> List.of(ProcessHandle.current().pid()));
        RelayLoad load = new RelayLoad(FIRST_USER, telegramConnections);
        Bench.log("warm-up: " + warmupSeconds + " s through the relay (the cold start), " + warmupSeconds / 2 + " s direct");
        RelayLoad.Result cold = load.run(relayUrl, Stack.INGEST_SECRET, rate, warmupSeconds);
        load.run(bot.url(), StubWebhook.SECRET, rate, Math.max(1, warmupSeconds / 2));
        boolean coldOk = cold.count(200) == cold.latency().getTotalCount() && cold.failed() == 0;
        verdicts.add(coldOk);
        report.line("").line(String.format(Locale.ROOT, "- cold start: bot-ingest ready %.1f s after its launch (the relay's warm-up"
                        + " before readiness included); the first %d s of relayed load after readiness: %,d requests, other than 200 / no"
                        + " answer %s / %d, p50 %s ms, p99 %s ms, max %s ms: %s", readySeconds, warmupSeconds,
                cold.latency().getTotalCount() + cold.failed(), cold.others(), cold.failed(), Bench.fmt(Bench.ms(cold.latency(), 50)),
                Bench.fmt(Bench.ms(cold.latency(), 99)), Bench.fmt(cold.latency().getMaxValue() / 1000.0),
                coldOk ? "every delivery 200 (PASS)" : "a delivery was not 200 (MISS)"));

        report.line("").line("Each run is preceded by " + REWARM_SECONDS + " s of the same load, not measured.")
                .table("run", "Kafka", "requests", "200", "other / no answer", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "load avg",
                        "CPU s: bot-ingest / Kafka / bench", "other processes' share of the CPUs");
        RelayLoad.Result directUp = run("direct to the bot", "up", load, bot.url(), StubWebhook.SECRET);
        RelayLoad.Result relayUp = run("through the relay", "up", load, relayUrl, Stack.INGEST_SECRET);
        Bench.log("stopping Kafka (pid " + kafka.pid() + ")");
        PackagedService.terminate(kafka, false, Duration.ofSeconds(60));
        Instant down = Instant.now();
        RelayLoad.Result relayDown = run("through the relay", "down", load, relayUrl, Stack.INGEST_SECRET);
        RelayLoad.Result directDown = run("direct to the bot", "down", load, bot.url(), StubWebhook.SECRET);
        String duringOutage = metrics.scrape();

        report.line("").table("Kafka", "added p50 ms", "added p99 ms", "target (≤ 5 ms added p99)");
        added("up", directUp, relayUp);
        added("down", directDown, relayDown);

        kafka = KafkaChild.launch(kafkaPort, kafkaDir, Map.of(), logs.resolve("kafka.log"));
        Instant back = Instant.now();
        double waiting = Double.NaN;
        while (Duration.between(back, Instant.now()).toSeconds() < 300) {
            waiting = Metrics.sum(metrics.scrape(), "relay_spool_records");
            if (waiting == 0) {
                break;
            }
            Bench.sleep(200);
        }
        String after = metrics.scrape();
        long relayed = relayUp.latency().getTotalCount() + relayDown.latency().getTotalCount();
        report.line("").line(String.format(Locale.ROOT, "- Kafka down for %d s: spool at its fullest held %,.0f sightings (%,.1f MB"
                                + " estimated of %,.0f MB), dropped %,.0f",
                        Duration.between(down, back).toSeconds(), Metrics.sum(duringOutage, "relay_spool_records"),
                        Metrics.sum(duringOutage, "relay_spool_bytes") / 1e6, Metrics.sum(after, "relay_spool_max_bytes") / 1e6,
                        Metrics.sum(after, "relay_spool_dropped_total")))
                .line(String.format(Locale.ROOT, "- Kafka back: spool empty after %.1f s (%s); sightings acknowledged by Kafka over the"
                                + " run %,.0f (warm-up included; every relayed update has one user)",
                        Duration.between(back, Instant.now()).toMillis() / 1000.0, waiting == 0 ? "replayed" : "NOT empty: " + waiting,
                        Metrics.sum(after, "relay_spool_published_total")))
                .line(String.format(Locale.ROOT, "- the bot received %,d requests, %d with a wrong secret; measured relayed requests %,d",
                        bot.received(), bot.wrongSecret(), relayed));
        Bench.log(verdicts.stream().allMatch(v -> v) ? "all targets PASS" : "a target was MISSED");
    }

    private RelayLoad.Result run(String what, String kafka, RelayLoad load, String url, String secret) {
        // the same load for a few seconds first, not measured: connections and JIT as the run will find them
        load.run(url, secret, rate, REWARM_SECONDS);
        Bench.log(what + ", Kafka " + kafka + ": " + seconds + " s at " + rate + "/s (load average " + loadAverage() + ")");
        var before = cpu.snapshot();
        long start = System.nanoTime();
        RelayLoad.Result r = load.run(url, secret, rate, seconds);
        double wall = (System.nanoTime() - start) / 1e9;
        var after = cpu.snapshot();
        Map<String, Double> used = CpuMeter.seconds(before, after);
        long total = r.latency().getTotalCount() + r.failed();
        report.row(what, kafka, total, r.count(200), r.others() + " / " + r.failed(),
                Bench.fmt(Bench.ms(r.latency(), 50)), Bench.fmt(Bench.ms(r.latency(), 90)), Bench.fmt(Bench.ms(r.latency(), 99)),
                Bench.fmt(Bench.ms(r.latency(), 99.9)), Bench.fmt(r.latency().getMaxValue() / 1000.0), loadAverage(),
                Bench.fmt(used.get("bot-ingest")) + " / " + Bench.fmt(used.get("Kafka")) + " / " + Bench.fmt(used.get("bench JVM (load, stub bot)")),
                String.format(Locale.ROOT, "%.0f %%", 100 * CpuMeter.othersShare(before, after, wall)));
        return r;
    }

    private void added(String kafka, RelayLoad.Result direct, RelayLoad.Result relay) {
        double p50 = Bench.ms(relay.latency(), 50) - Bench.ms(direct.latency(), 50);
        double p99 = Bench.ms(relay.latency(), 99) - Bench.ms(direct.latency(), 99);
        boolean ok = p99 <= TARGET_ADDED_P99_MS && relay.count(200) == relay.latency().getTotalCount() && relay.failed() == 0;
        verdicts.add(ok);
        report.row(kafka, Bench.fmt(p50), Bench.fmt(p99), Bench.passMiss(ok) + (ok ? "" : " (or a relayed request was not 200)"));
    }

    /** The 1-minute load average (the machine is shared: the figures mean little when it is far above the cores). */
    private static String loadAverage() {
        return Bench.loads().split(" / ")[0];
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
