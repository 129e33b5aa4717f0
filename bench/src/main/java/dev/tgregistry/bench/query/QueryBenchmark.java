package dev.tgregistry.bench.query;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.generate.GenerateData;
import dev.tgregistry.bench.report.Report;
import dev.tgregistry.bench.stack.CpuMeter;
import dev.tgregistry.bench.stack.RssSampler;
import dev.tgregistry.bench.stack.Stack;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Dashboard query benchmark: user-service on a generated database (see {@link GenerateData}), driven over HTTP,
 * against the original dashboard's SQL run via JDBC on the same database. See bench/README.md. Phases, in order:
 * {@link QueryLatencyPhase} (warm-up, then every endpoint), {@link CsvExportPhase}, {@link ErasureTiming},
 * {@link OriginalSqlPhase}, {@link QueryTargets}, {@link PlansPhase}.
 */
public final class QueryBenchmark {

    static final String USAGE = String.join("\n",
            "usage: bench/run query [options]",
            "  --root DIR            repository root (default .)",
            "  --data-dir DIR        generated database (default bench/target/bench-data; generated when missing)",
            "  --users/--events/--bookings/--registrations N   data set sizes (see bench/run generate --help)",
            "  --force-generate      regenerate the data set first",
            "  --clients N           concurrent HTTP clients (default 2)",
            "  --compare-clients N   then measure the same rows again with N clients and print each row's ratio to",
            "                        the first run (e.g. --clients 1 --compare-clients 2; default 0: not run)",
            "  --requests N          measured requests per search category (default 1000)",
            "  --heavy-requests N    measured requests for by-stream, user-activity and validate (default 200)",
            "  --warmup N            warm-up requests per endpoint kind (default 300)",
            "  --original-runs N     original search SQL: queries per category (default 15)",
            "  --only segments       only the segment set of issue 23 (counts, pages, CSV, index write cost, plans);",
            "                        its report is also written to bench/results/segments.md to be committed",
            "  --skip segments       everything but the segment set (its slow rows take ~30 min on a loaded box)",
            "  --segment-requests N  measured requests per segment row (default 100)",
            "  --segment-warmup N    warm-up requests per segment row (default 5)",
            "  --child-jvm-opts S    JVM options for user-service (default: StackStarter.SERVICE_JVM_OPTS)");

    private final Path root;
    private final Path dataDir;
    private final GenerateData.Params params;
    private final boolean forceGenerate;
    private final int clients;
    private final int compareClients;
    private final int requests;
    private final int heavyRequests;
    private final int warmup;
    private final int originalRuns;
    private final String childJvmOpts;
    private final boolean onlySegments;
    private final boolean skipSegments;
    private final int segmentRequests;
    private final int segmentWarmup;

    private final Report report = new Report();

    private QueryBenchmark(Bench.Args a) {
        root = Path.of(a.string("root", ".")).toAbsolutePath().normalize();
        dataDir = root.resolve(a.string("data-dir", "bench/target/bench-data")).toAbsolutePath().normalize();
        params = GenerateData.params(a);
        forceGenerate = a.flag("force-generate");
        clients = a.integer("clients", 2);
        compareClients = a.integer("compare-clients", 0);
        requests = a.integer("requests", 1000);
        heavyRequests = a.integer("heavy-requests", 200);
        warmup = a.integer("warmup", 300);
        originalRuns = a.integer("original-runs", 15);
        childJvmOpts = a.string("child-jvm-opts", "");
        String only = a.string("only", "");
        if (!only.isEmpty() && !only.equals("segments")) {
            System.err.println("--only: the one set that runs alone is 'segments'");
            System.exit(2);
        }
        onlySegments = only.equals("segments");
        skipSegments = a.string("skip", "").equals("segments");
        segmentRequests = a.integer("segment-requests", 100);
        segmentWarmup = a.integer("segment-warmup", 5);
        a.done();
    }

    public static void main(String[] args) throws Exception {
        Bench.Args a = new Bench.Args(args, USAGE, "force-generate");
        new QueryBenchmark(a).run();
        System.exit(0);
    }

    private void run() throws Exception {
        Stack.requirePortsFree(55432, 9092, 8080, 9000);
        Properties data = GenerateData.ensure(root, dataDir, params, forceGenerate);
        header(data);
        try (Stack s = new Stack(root, root.resolve("bench/target/bench-logs/query"), childJvmOpts);
             RssSampler rss = new RssSampler(200)) {
            report.line("- user-service JVM options: `" + s.childJvmOpts() + "`" + (childJvmOpts.isBlank() ? " (LocalRun's)" : ""));
            Stack.Service userService = start(s);
            rss.watch("user-service", userService.pid());
            QueryClient client = new QueryClient(s, userService, cpuMeter(s, userService), clients);
            report.line("- user-service RSS after start-up (idle): " + Bench.fmt(rss.currentMb().get("user-service")) + " MB");
            if (onlySegments) {
                segments(s, userService, rss, new QueryClient(s, userService, cpuMeter(s, userService), 1));
            } else {
                phases(s, userService, rss, client);
                if (!skipSegments) {
                    segments(s, userService, rss, new QueryClient(s, userService, cpuMeter(s, userService), 1));
                }
            }
        }
        report.line("").line("- load at the end: " + Bench.loadAverage());
        report.publish(root, "query", onlySegments ? Report.Copy.toCommit("segments") : Report.Copy.WORKING_ONLY);
    }

    private void phases(Stack s, Stack.Service userService, RssSampler rss, QueryClient client) throws Exception {
        QuerySets sets = new QuerySets(s);
        Map<String, List<String>> searches = sets.searchQueries();
        QueryLatencyPhase latency = new QueryLatencyPhase(client, searches, sets.sampleIds(20_000), warmup);
        latency.warmUp();
        rss.resetPhase();
        List<QueryClient.Result> results = latency.measure(requests, heavyRequests, sets);
        Map<String, Double> rssLoad = rss.phaseMaxMb();
        // the second run's PATCHes write values the first did not (they follow its warm-up + measured ones)
        List<QueryClient.Result> compared = compareClients <= 0 ? List.of()
                : new QueryLatencyPhase(new QueryClient(s, userService, cpuMeter(s, userService), compareClients),
                searches, sets.sampleIds(20_000), warmup + requests).measure(requests, heavyRequests, sets);
        CsvExportPhase.Run csvExport = CsvExportPhase.run(client.http, userService, rss);
        List<ErasureTiming.Run> erasures = new ErasureTiming(s, userService.baseUrl()).run(3);
        QueryLatencyPhase.writeTo(report, results);
        if (!compared.isEmpty()) {
            QueryLatencyPhase.writeComparison(report, results, clients, compared, compareClients);
        }
        double minRatio = new OriginalSqlPhase(s, originalRuns).run(searches, results, report);
        double rssMax = rss.runMaxMb().getOrDefault("user-service", Double.NaN);
        QueryTargets.writeTo(report, results, minRatio, rssMax, rssLoad, csvExport, erasures);
        new PlansPhase(s, client).writeTo(report, results);
    }

    /** Issue 23's segment set with one client, its CSV, the write cost of the segment indexes, the plans of the misses. */
    private void segments(Stack s, Stack.Service userService, RssSampler rss, QueryClient oneClient) throws Exception {
        SegmentPhase phase = new SegmentPhase(s, oneClient);
        phase.warmUp(segmentWarmup);
        List<SegmentPhase.Measured> rows = phase.measure(segmentRequests);
        CsvExportPhase.Run csv = CsvExportPhase.run(oneClient.http, userService, rss, SegmentQueries.CSV_PATH);
        SegmentPhase.WriteCost cost = phase.writeCost(root);
        SegmentPhase.writeTo(report, rows, csv, cost);
        new PlansPhase(s, oneClient).writeTo(report, "#### Plans of the segment rows that missed (else the 3 slowest)",
                SegmentPhase.planRequests(rows));
    }

    private void header(Properties data) {
        report.line("## Query benchmark").line("")
                .line("- date: " + Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC")
                .line("- machine: " + Bench.machine())
                .line("- load at the start: " + Bench.loadAverage() + " (the machine is shared; figures measured under that load)")
                .line("- code: " + Bench.commit(root))
                .line(String.format(Locale.ROOT, "- data: %s users, %s events, %s bookings, %s free-lesson registrations (%s);"
                                + " generated %s in %s s (%s)%s", data.getProperty("rows.users"), data.getProperty("rows.events"),
                        data.getProperty("rows.bookings"), data.getProperty("rows.free_lesson_registrations"),
                        data.getProperty("database_size"), data.getProperty("generated_at"), data.getProperty("generation_seconds"),
                        data.getProperty("generation_steps"),
                        data.getProperty("migrated_forward", "").isEmpty() ? ""
                                : "; migrations applied to the generated data afterwards: " + data.getProperty("migrated_forward")))
                .line("- stack: PostgreSQL 17 with LocalPostgres defaults (shared_buffers 256MB) plus shared_preload_libraries ="
                        + " auto_explain, pg_stat_statements (for the plans and the SQL column), user-service from"
                        + " user-service/target/quarkus-app, Kafka idle in the benchmark JVM")
                .line(String.format(Locale.ROOT, "- load: %d concurrent closed-loop HTTP clients on loopback; %d warm-up requests per endpoint;"
                        + " latency is client-side (request sent → body read); 'server mean' is http.server.requests from /q/metrics"
                        + " (sum/count over the same requests), 'server p99' its histogram buckets over the same requests"
                        + " (interpolated inside the bucket, ~10%% wide); 'SQL ms/req' is the service's statements' execution time from"
                        + " pg_stat_statements divided by the requests", clients, warmup));
    }

    /** PostgreSQL on the generated data (with pg_stat_statements and auto_explain loaded), Kafka idle, user-service. */
    private Stack.Service start(Stack s) throws Exception {
        s.startPostgres(dataDir.resolve("postgres"), Map.of(
                "shared_preload_libraries", "auto_explain,pg_stat_statements",
                "pg_stat_statements.track", "top"));
        try (Connection c = s.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            PlansPhase.autoExplain(st, false); // in case an earlier run died with it on
        }
        s.startKafka();
        Stack.Service userService = s.startUserService();
        s.awaitReady(userService, Duration.ofSeconds(180));
        return userService;
    }

    private static CpuMeter cpuMeter(Stack s, Stack.Service userService) throws Exception {
        CpuMeter cpu = new CpuMeter();
        long self = ProcessHandle.current().pid();
        long postmaster = CpuMeter.postmasterPid(s.postgres().dataDir());
        cpu.group("bench", () -> List.of(self));
        cpu.group("user-service", () -> List.of(userService.pid()));
        cpu.group("postgres", () -> CpuMeter.withDescendants(postmaster));
        return cpu;
    }
}
