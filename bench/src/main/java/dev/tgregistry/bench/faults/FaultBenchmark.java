package dev.tgregistry.bench.faults;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.report.Report;
import dev.tgregistry.bench.stack.Stack;
import dev.tgregistry.localstack.Util;
import dev.tgregistry.model.Topics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Fault-injection suite: drives the real stack (packaged services, PostgreSQL, Kafka in a child process) through
 * poison records and infrastructure faults, and prints one table with PASS/MISS per target. See bench/README.md.
 */
public final class FaultBenchmark {

    /** Scenario names, in the order they run. */
    static final List<String> SCENARIOS = List.of("poison", "kill-bot-ingest", "kill-user-service", "rebalance",
            "kafka-30s", "pg-30s", "pg-6min", RollingRestart.NAME);

    static final String USAGE = String.join("\n",
            "usage: bench/run faults [options]",
            "  --scenarios LIST      comma-separated subset of: " + String.join(",", SCENARIOS),
            "                        (default: all; with --quick: poison,kill-user-service,pg-30s)",
            "  --quick               development mode: 1 kill instead of 3, shorter stream phases, no 6-minute outage by default",
            "  --rate N              stream: Telegram updates per second (default 100; plus a fifth as many bot events)",
            "  --rolling-rate N      rolling: Telegram updates per second during the rolling restart (default 1000)",
            "  --canary-wait S       how long a canary may take before its topic counts as stopped (default 15)",
            "  --settle S            after a fault scenario, how long to wait for every acknowledged record (default 120)",
            "  --long-outage S       length of the long PostgreSQL outage (default 360)",
            "  --create-dlq-topics   create the .dlq topics up front (default: no, as on a cluster without auto-creation)",
            "  --child-jvm-opts S    JVM options of the services (default: StackStarter.SERVICE_JVM_OPTS)",
            "  --root DIR            repository root (default .)");

    /** The scenarios of a comma-separated list, in the order they run. */
    static List<String> scenarios(String list) {
        List<String> chosen = Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String name : chosen) {
            if (!SCENARIOS.contains(name)) {
                throw new IllegalArgumentException("unknown scenario '" + name + "'; known: " + String.join(",", SCENARIOS));
            }
        }
        return SCENARIOS.stream().filter(chosen::contains).toList();
    }

    private final Path root;
    private final List<String> scenarios;
    private final boolean quick;
    private final int rate;
    private final int rollingRate;
    private final long canaryWaitMs;
    private final long settleMs;
    private final long longOutageSeconds;
    private final boolean createDlqTopics;
    private final String childJvmOpts;

    private final Report report = new Report();

    private FaultBenchmark(Bench.Args a) {
        root = Path.of(a.string("root", ".")).toAbsolutePath().normalize();
        quick = a.flag("quick");
        String list = a.string("scenarios", quick ? "poison,kill-user-service,pg-30s" : String.join(",", SCENARIOS));
        rate = a.integer("rate", 100);
        rollingRate = a.integer("rolling-rate", 1000);
        canaryWaitMs = a.number("canary-wait", 15) * 1000;
        settleMs = a.number("settle", 120) * 1000;
        longOutageSeconds = a.number("long-outage", 360);
        createDlqTopics = a.flag("create-dlq-topics");
        childJvmOpts = a.string("child-jvm-opts", "");
        a.done();
        scenarios = scenarios(list);
    }

    public static void main(String[] args) throws Exception {
        Bench.Args a = new Bench.Args(args, USAGE, "quick", "create-dlq-topics");
        FaultBenchmark suite;
        try {
            suite = new FaultBenchmark(a);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(suite.run());
    }

    private int run() throws Exception {
        Stack.requirePortsFree(55432, 9092, 8080, 8081, OutageScenarios.SECOND_USER_SERVICE_PORT);
        if (scenarios.contains(RollingRestart.NAME)) {
            Stack.requirePortsFree(RollingRestart.SECOND_INSTANCE_PORTS);
        }
        long t0 = System.nanoTime();
        Path data = Files.createTempDirectory("bench-faults-");
        header();
        FaultTable table;
        List<String> findings;
        try (Stack s = new Stack(root, root.resolve("bench/target/bench-logs/faults"), childJvmOpts);
             FaultRig rig = new FaultRig(s, data, canaryWaitMs, settleMs)) {
            report.line("- service JVM options: `" + s.childJvmOpts() + "`");
            rig.start(List.of(Topics.USER_SEEN, Topics.BOT_EVENTS, Topics.BOOKINGS, Topics.FREE_LESSONS), createDlqTopics
                    ? List.of(Topics.deadLetterOf(Topics.USER_SEEN), Topics.deadLetterOf(Topics.BOT_EVENTS),
                    Topics.deadLetterOf(Topics.BOOKINGS), Topics.deadLetterOf(Topics.FREE_LESSONS))
                    : List.of());
            for (String scenario : scenarios) {
                rig.ensureServicesUp();
                Bench.log("=== scenario " + scenario);
                runScenario(rig, scenario);
            }
            table = rig.table;
            findings = rig.findings;
        } finally {
            Util.deleteRecursively(data);
        }
        results(table, findings, (System.nanoTime() - t0) / 60e9);
        report.publish(root, "faults", Report.Copy.toCommit(null));
        return 0;
    }

    private void header() {
        report.header("Fault-injection suite", root)
                .line("- scenarios: " + String.join(", ", scenarios) + (quick ? " (quick mode)" : ""))
                .line("- load average at the start (1/5/15 min): " + Bench.loads() + " on " + Runtime.getRuntime().availableProcessors()
                        + " CPUs (other sessions share the machine; latencies are inflated when it is far above the CPU count)")
                .line("- stack: fresh PostgreSQL 17 (LocalPostgres defaults, stopped and started on the same data dir),"
                        + " Kafka 4.1 in a child process (3 partitions, auto-creation of topics off, the four source topics"
                        + " created up front, .dlq topics " + (createDlqTopics ? "created up front" : "left to the service") + "),"
                        + " services from */target/quarkus-app");
    }

    private void runScenario(FaultRig rig, String scenario) throws Exception {
        OutageScenarios outages = new OutageScenarios(rig, quick, rate);
        switch (scenario) {
            case "poison" -> new PoisonScenarios(rig).run();
            case "kill-bot-ingest" -> outages.killBotIngest();
            case "kill-user-service" -> outages.killUserService(quick ? 1 : 3);
            case "rebalance" -> outages.rebalance();
            case "kafka-30s" -> outages.kafkaOutage(30);
            case "pg-30s" -> outages.postgresOutage("PostgreSQL stopped 30 s", 30);
            case "pg-6min" -> outages.postgresOutage("PostgreSQL stopped " + longOutageSeconds / 60 + " min", longOutageSeconds);
            case RollingRestart.NAME -> rollingRestart(rig);
            default -> throw new IllegalStateException(scenario);
        }
    }

    /** Last: it leaves the suite's two services running with the shutdown delay on. */
    private void rollingRestart(FaultRig rig) throws Exception {
        RollingRestart rolling = new RollingRestart(rig, root, rollingRate, quick);
        try {
            rolling.run(rig.table);
        } finally {
            rig.userService = rolling.userServiceProcess();
            rig.botIngest = rolling.botIngestProcess();
        }
    }

    private void results(FaultTable table, List<String> findings, double minutes) {
        report.line("").line("### Results").line("")
                .line("Time to recover: poison rows give their canary's latency (its 202 → its row visible, target "
                        + (int) FaultTable.CANARY_TARGET_S + " s); fault rows the time from the end of the fault to a probe"
                        + " record (sent at the end of the fault, retried like a bot) being visible (target "
                        + (int) FaultTable.RECOVERY_TARGET_S + " s).");
        table.writeTo(report);
        report.line("").line("### Targets");
        table.writeVerdictsTo(report);
        if (!findings.isEmpty()) {
            report.line("").line("### Observations");
            findings.forEach(f -> report.line("- " + f));
        }
        report.line("").line(String.format(Locale.ROOT, "Total run time: %.1f min. Load average at the end: %s.", minutes, Bench.loads()));
    }
}
