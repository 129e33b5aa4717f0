package dev.tgregistry.bench.check;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.generate.GenerateData;
import dev.tgregistry.bench.ingest.IngestBenchmark;
import dev.tgregistry.bench.ingest.ReturningUsers;
import dev.tgregistry.bench.query.QueryClient;
import dev.tgregistry.bench.query.QueryLatencyPhase;
import dev.tgregistry.bench.query.QuerySets;
import dev.tgregistry.bench.report.Report;
import dev.tgregistry.bench.stack.Db;
import dev.tgregistry.bench.stack.RssSampler;
import dev.tgregistry.bench.stack.Stack;
import dev.tgregistry.localstack.StackStarter;
import dev.tgregistry.localstack.Util;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The regression check (bench/README.md, "bench/run check"): the ingest and query benchmarks' own phases with
 * smaller sizes on one stack, their ratios against the committed baseline; exit 1 on a regression.
 */
public final class CheckBenchmark {

    static final String USAGE = String.join("\n",
            "usage: bench/run check [options]",
            "  --root DIR            repository root (default .)",
            "  --baseline FILE       committed baseline (default bench/baselines/check.md)",
            "  --update-baseline     write this run's ratios into the baseline (bands kept), exit 0",
            "  --baseline-from LIST  no run: write the baseline from these check reports (comma-separated .md files):",
            "                        per figure the median, per group the band from their spread (× 1.5, ≥ 10%)",
            "  --data-dir DIR        generated registry (default bench/target/check-data; generated when missing, ~1-2 min)",
            "  --users N             (default 100000)",
            "  --events N            (default 1000000)",
            "  --updates N           cold: new users measured (default 40000, after --warmup)",
            "  --warmup N            cold: warm-up updates, not measured (default 10000)",
            "  --steady N            steady: sightings of returning users (default 150000)",
            "  --known N             steady: returning users (default 20000)",
            "  --ceiling N           ceiling: rows per kind and statement variant (default 30000)",
            "  --requests N          queries: requests per search category and light route (default 300)",
            "  --heavy-requests N    queries: requests per heavy route (validate, stats, analytics; default 100)",
            "  --query-warmup N      queries: warm-up requests per endpoint kind (default 100)",
            "  --clients N           queries: closed-loop clients (default 1)");

    static final String INFO = "info";
    private static final double BAND_MARGIN = 1.5;
    private static final double MIN_BAND = 0.10;
    private static final double MIN_SQL_MS = 0.25;

    private final Path root;
    private final Path baselineFile;
    private final boolean updateBaseline;
    private final String baselineFrom;
    private final Path dataDir;
    private final GenerateData.Params params;
    private final String[] ingestArgs;
    private final int requests;
    private final int heavyRequests;
    private final int queryWarmup;
    private final int clients;
    private final Report report = new Report();

    private CheckBenchmark(Bench.Args a) {
        root = Path.of(a.string("root", ".")).toAbsolutePath().normalize();
        baselineFile = root.resolve(a.string("baseline", "bench/baselines/check.md"));
        updateBaseline = a.flag("update-baseline");
        baselineFrom = a.string("baseline-from", "");
        dataDir = root.resolve(a.string("data-dir", "bench/target/check-data")).toAbsolutePath().normalize();
        params = new GenerateData.Params(a.number("users", 100_000), a.number("events", 1_000_000), 5_000, 10_000, 0);
        ingestArgs = new String[]{"--root", root.toString(), "--only", "cold,steady,ceiling",
                "--updates", Long.toString(a.number("updates", 40_000)), "--warmup", Long.toString(a.number("warmup", 10_000)),
                "--steady", Long.toString(a.number("steady", 150_000)), "--known", Long.toString(a.number("known", 20_000)),
                "--ceiling", Long.toString(a.number("ceiling", 30_000)), "--ceiling-variants", "unnest:2000,unnest:5000"};
        requests = a.integer("requests", 300);
        heavyRequests = a.integer("heavy-requests", 100);
        queryWarmup = a.integer("query-warmup", 100);
        clients = a.integer("clients", 1);
        a.done();
    }

    public static void main(String[] args) throws Exception {
        Bench.Args a = new Bench.Args(args, USAGE, "update-baseline");
        System.exit(new CheckBenchmark(a).run());
    }

    private int run() throws Exception {
        if (!baselineFrom.isBlank()) {
            return baselineFromReports();
        }
        Stack.requirePortsFree(55432, 9092, 8080, 8081, 9000, 9001);
        long t0 = System.nanoTime();
        String loadAtStart = Bench.loads();
        Properties data = GenerateData.ensure(root, dataDir, params, false);
        double generateSeconds = (System.nanoTime() - t0) / 1e9;
        header(data, loadAtStart, generateSeconds);
        Path copy = Files.createTempDirectory("bench-check-");
        List<CheckBaseline.Figure> figures;
        try {
            figures = measure(copy);
        } finally {
            Util.deleteRecursively(copy);
        }
        double minutes = (System.nanoTime() - t0) / 60e9;
        report.line("").line(String.format(Locale.ROOT, "- run time: %.1f min (of which %.0f s making sure the data set exists);"
                + " load average (1/5/15 min) at the end: %s", minutes, generateSeconds, Bench.loads()));
        int exit = judge(figures);
        report.publish(root, "check", Report.Copy.toCommit(null));
        return exit;
    }

    /** One stack on a copy of the generated registry: queries on the pristine data, then cold, steady and ceiling. */
    private List<CheckBaseline.Figure> measure(Path copy) throws Exception {
        Bench.log("copying the generated registry into " + copy);
        Bench.copyTree(dataDir.resolve("postgres"), copy.resolve("postgres"));
        IngestBenchmark ingest = new IngestBenchmark(new Bench.Args(ingestArgs, IngestBenchmark.USAGE), report);
        String serviceOpts = StackStarter.SERVICE_JVM_OPTS + " -Dmp.messaging.connector.smallrye-kafka.auto.commit.interval.ms=500";
        List<CheckBaseline.Figure> figures = new ArrayList<>();
        try (Stack s = new Stack(root, root.resolve("bench/target/bench-logs/check"), serviceOpts);
             RssSampler rss = new RssSampler(200)) {
            ingest.startOn(s, rss, copy.resolve("postgres"), Map.of("shared_preload_libraries", "pg_stat_statements",
                    "pg_stat_statements.track", "top"));
            try (Connection c = s.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                report.line("- on disk, indexes included (the capacity model's sizes): " + sizes(st));
            }
            figures.addAll(queries(s, ingest));
            report.line("").line("- load average before the ingest phases: " + Bench.loads());
            ReturningUsers returning = new ReturningUsers(ingest);
            returning.prepare();
            // the ceiling brackets the end-to-end phases (before and after, mean of both), so that a load change of
            // the machine between the two halves of a ratio counts half
            returning.ceiling();
            checkpoint(s);
            long walBefore = Db.walLsnBytes(s);
            double cold = ingest.cold();
            double coldWal = (Db.walLsnBytes(s) - walBefore) / (double) (ingest.warmup + ingest.updates);
            checkpoint(s);
            returning.steady();
            returning.ceiling();
            figures.addAll(0, ingestFigures(cold, returning));
            // WAL per new user does not depend on the machine's speed or load: it sees what the ratios cannot, SQL that
            // writes more (an index, a trigger's rows)
            figures.add(CheckBaseline.ratio("WAL bytes per new user (cold, warm-up included)", "wal", CheckBaseline.Better.LOWER, coldWal, 1));
            figures.add(CheckBaseline.ratio("WAL bytes per steady sighting", INFO, CheckBaseline.Better.LOWER,
                    returning.steadyWalBytes(), ingest.steadyCount));
        } finally {
            if (ingest.offsets != null) {
                ingest.offsets.close();
            }
        }
        return figures;
    }

    private List<CheckBaseline.Figure> queries(Stack s, IngestBenchmark ingest) throws Exception {
        QueryClient client = new QueryClient(s, ingest.userService, ingest.cpu, clients);
        QuerySets sets = new QuerySets(s);
        QueryLatencyPhase phase = new QueryLatencyPhase(client, sets.searchQueries(), sets.sampleIds(5_000), queryWarmup);
        phase.warmUp();
        List<QueryClient.Result> results = phase.measure(requests, heavyRequests, sets);
        QueryLatencyPhase.writeTo(report, results);
        return queryFigures(results);
    }

    static List<CheckBaseline.Figure> ingestFigures(double cold, ReturningUsers r) {
        return List.of(
                CheckBaseline.ratio("cold end to end / cold ceiling", "ingest", CheckBaseline.Better.HIGHER, cold, r.ceilingCold()),
                CheckBaseline.ratio("steady end to end / steady ceiling", "ingest", CheckBaseline.Better.HIGHER, r.steadyRate(),
                        r.ceilingSteady()),
                CheckBaseline.ratio("cold end to end, sightings/s", INFO, CheckBaseline.Better.HIGHER, cold, 1),
                CheckBaseline.ratio("steady end to end, sightings/s", INFO, CheckBaseline.Better.HIGHER, r.steadyRate(), 1),
                CheckBaseline.ratio("cold ceiling, sightings/s", INFO, CheckBaseline.Better.HIGHER, r.ceilingCold(), 1),
                CheckBaseline.ratio("steady ceiling, sightings/s", INFO, CheckBaseline.Better.HIGHER, r.ceilingSteady(), 1));
    }

    /**
     * Per endpoint: server-side p99 / SQL execution time per request (the service's statements, pg_stat_statements);
     * endpoints whose SQL took under {@value #MIN_SQL_MS} ms per request in this run are in group {@code skipped}, not
     * gated (the ratio would be the noise of a tiny denominator).
     * Plus the geometric mean of them all, and each server p99 as information.
     */
    static List<CheckBaseline.Figure> queryFigures(List<QueryClient.Result> results) {
        List<CheckBaseline.Figure> out = new ArrayList<>();
        List<CheckBaseline.Figure> info = new ArrayList<>();
        double logSum = 0;
        int n = 0;
        for (QueryClient.Result r : results) {
            if (Double.isNaN(r.serverP99Ms()) || Double.isNaN(r.sqlMsPerRequest()) || r.sqlMsPerRequest() <= 0) {
                continue;
            }
            boolean gated = r.sqlMsPerRequest() >= MIN_SQL_MS;
            CheckBaseline.Figure f = CheckBaseline.ratio("p99 / SQL: " + r.name(), gated ? "query" : CheckBaseline.SKIPPED,
                    CheckBaseline.Better.LOWER, r.serverP99Ms(), r.sqlMsPerRequest());
            out.add(f);
            if (!gated) {
                continue;
            }
            info.add(CheckBaseline.ratio("server p99 ms: " + r.name(), INFO, CheckBaseline.Better.LOWER, r.serverP99Ms(), 1));
            logSum += Math.log(f.value());
            n++;
        }
        out.add(0, new CheckBaseline.Figure("p99 / SQL: geometric mean of the query set", "query-mean", CheckBaseline.Better.LOWER,
                n == 0 ? Double.NaN : Math.exp(logSum / n), Double.NaN));
        out.addAll(info);
        return out;
    }

    /** The figures table (with the baseline beside them), the verdicts; exit code 1 on a regression. */
    private int judge(List<CheckBaseline.Figure> figures) throws Exception {
        List<CheckBaseline.Figure> baseline = Files.isRegularFile(baselineFile) ? CheckBaseline.read(baselineFile) : List.of();
        List<CheckBaseline.Verdict> verdicts = CheckBaseline.compare(gated(baseline), figures);
        List<List<String>> extra = new ArrayList<>();
        for (CheckBaseline.Figure f : figures) {
            CheckBaseline.Figure b = baseline.stream().filter(x -> x.name().equals(f.name())).findFirst().orElse(null);
            CheckBaseline.Verdict v = verdicts.stream().filter(x -> x.name().equals(f.name())).findFirst().orElse(null);
            extra.add(List.of(b == null ? "-" : CheckBaseline.fmt(b.value()),
                    b == null || Double.isNaN(f.value()) ? "-" : String.format(Locale.ROOT, "%+.0f%%", 100 * (f.value() / b.value() - 1)),
                    b == null || Double.isNaN(b.band()) ? "-" : String.format(Locale.ROOT, "±%.0f%%", 100 * b.band()),
                    v == null ? (f.group().equals(INFO) || f.group().equals(CheckBaseline.SKIPPED) ? "not gated" : "not in baseline")
                            : v.regression() ? "**REGRESSION**" : v.message().startsWith("skipped") ? "skipped" : "ok"));
        }
        report.line("").line("### Figures against the baseline (`" + root.relativize(baselineFile) + "`)").line("")
                .line("Gated: the `ingest`, `query` and `query-mean` groups (ratios) and `wal` (WAL bytes per new user); a"
                        + " regression is a move the bad way by more than the baseline's band. `info` rows are absolute figures of this machine at this load, shown, never gated.")
                .line("").line(CheckBaseline.table(figures.stream().map(f -> f.withBand(Double.NaN)).toList(),
                        List.of("baseline", "change", "baseline band", "verdict"), extra).strip());
        long regressions = verdicts.stream().filter(CheckBaseline.Verdict::regression).count();
        report.line("");
        for (CheckBaseline.Verdict v : verdicts) {
            if (v.regression()) {
                report.line("- " + v.message());
            }
        }
        if (updateBaseline) {
            CheckBaseline.write(baselineFile, preamble("this run's values (--update-baseline); bands kept from the previous file"),
                    CheckBaseline.rebase(figures, baseline, 0.25));
            report.line("- baseline updated: " + root.relativize(baselineFile));
            return 0;
        }
        if (baseline.isEmpty()) {
            report.line("- **no baseline** at " + root.relativize(baselineFile) + ": run with --update-baseline (or --baseline-from)");
            return 3;
        }
        report.line(regressions == 0 ? "- **PASS**: every gated figure within its band (" + verdicts.size() + " figures)"
                : "- **FAIL**: " + regressions + " of " + verdicts.size() + " gated figures regressed beyond their band");
        return regressions == 0 ? 0 : 1;
    }

    private static List<CheckBaseline.Figure> gated(List<CheckBaseline.Figure> baseline) {
        return baseline.stream().filter(f -> !f.group().equals(INFO) && !f.group().equals(CheckBaseline.SKIPPED)
                && !Double.isNaN(f.band())).toList();
    }

    private int baselineFromReports() throws Exception {
        List<List<CheckBaseline.Figure>> runs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String f : baselineFrom.split(",")) {
            Path p = root.resolve(f.trim());
            runs.add(CheckBaseline.read(p));
            names.add(root.relativize(p.toAbsolutePath().normalize()).toString());
        }
        List<CheckBaseline.Figure> gatedRuns = CheckBaseline.fromRuns(runs.stream()
                .map(r -> r.stream().filter(f -> !f.group().equals(INFO)).toList()).toList(), BAND_MARGIN, MIN_BAND);
        List<CheckBaseline.Figure> info = CheckBaseline.fromRuns(runs.stream()
                .map(r -> r.stream().filter(f -> f.group().equals(INFO)).toList()).toList(), 0, 0);
        List<CheckBaseline.Figure> all = new ArrayList<>(gatedRuns);
        info.forEach(f -> all.add(f.withBand(Double.NaN)));
        StringBuilder spread = new StringBuilder();
        CheckBaseline.spreadByGroup(runs).forEach((g, d) -> spread.append(spread.length() == 0 ? "" : ", ")
                .append(g).append(String.format(Locale.ROOT, " ±%.0f%%", 100 * d)));
        CheckBaseline.write(baselineFile, preamble(String.format(Locale.ROOT, "medians of %d runs (%s); largest deviation from the"
                + " median per group: %s; band = %.1f × that, rounded up to 5 points, at least %.0f%%", runs.size(),
                String.join(", ", names), spread, BAND_MARGIN, 100 * MIN_BAND)), all);
        Bench.log("baseline written to " + baselineFile + " from " + names + "; spread " + spread);
        return 0;
    }

    private static String preamble(String source) {
        return String.join("\n", "# Baseline of `bench/run check`", "",
                "Read and written by `CheckBaseline` (bench/README.md, \"bench/run check\"). `value`: the figure's baseline;",
                "`band`: how far it may move the bad way (`better`) before the check fails; `info` rows are not gated.", "",
                "- source: " + source);
    }

    private void header(Properties data, String load, double generateSeconds) {
        report.header("Regression check", root)
                .line("- load average (1/5/15 min) at the start: " + load)
                .line(String.format(Locale.ROOT, "- data: %s users, %s events (%s), generated %s (%.0f s spent here on it)",
                        data.getProperty("rows.users"), data.getProperty("rows.events"), data.getProperty("database_size"),
                        data.getProperty("generated_at"), generateSeconds))
                .line("- stack: PostgreSQL 17 on a copy of that registry (LocalPostgres defaults + pg_stat_statements), Kafka in"
                        + " the benchmark JVM, both services from */target/quarkus-app; queries first (" + clients
                        + " client), then cold, steady and the ceiling of the same rows");
    }

    /**
     * A checkpoint right before a phase whose WAL is counted: the first change of every page after a checkpoint
     * writes the whole page, so without it the figure depends on when the last timed checkpoint happened to run.
     */
    private static void checkpoint(Stack s) throws java.sql.SQLException {
        try (Connection c = s.connect(); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        }
    }

    /** Bytes per row of the registry's big tables, indexes and TOAST included. */
    private static String sizes(Statement st) throws java.sql.SQLException {
        StringBuilder sb = new StringBuilder();
        for (String t : List.of("users", "user_name_history", "events")) {
            try (java.sql.ResultSet rs = st.executeQuery("SELECT pg_total_relation_size('" + t + "'), (SELECT count(*) FROM " + t + ")")) {
                rs.next();
                sb.append(sb.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s %,d MB for %,d rows (%,d bytes per row)",
                        t, rs.getLong(1) >> 20, rs.getLong(2), rs.getLong(2) == 0 ? 0 : rs.getLong(1) / rs.getLong(2)));
            }
        }
        return sb.toString();
    }
}
