package dev.tgregistry.bench.query;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.generate.GenerateData;
import dev.tgregistry.bench.report.Report;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The query benchmark's HTTP latency phase and its table: bench/README.md, "bench/run query", load run. */
public final class QueryLatencyPhase {

    /** Analytics routes measured: name, request, metrics uri. */
    static final String[][] ANALYTICS = {
            {"daily stats (days=30)", "/api/events?type=daily&days=30", "/api/events"},
            {"daily stats (days=365, tz=Asia/Tehran)", "/api/events?type=daily&days=365&tz=Asia/Tehran", "/api/events"},
            {"top events", "/api/events", "/api/events"},
            {"user growth (days=30)", "/api/user-growth", "/api/user-growth"},
            {"user growth (days=365, tz=Europe/Moscow)", "/api/user-growth?days=365&tz=Europe/Moscow", "/api/user-growth"},
            {"courses", "/api/courses", "/api/courses"},
            {"course streams", "/api/course-streams", "/api/course-streams"},
            {"lesson conversion", "/api/free-lessons-conversion", "/api/free-lessons-conversion"},
    };

    /** Where in the sampled ids the detail warm-up starts: past the 1,000 the measured rows read. */
    private static final int DETAIL_WARMUP_OFFSET = 10_000;

    private final QueryClient client;
    private final Map<String, List<String>> searches;
    private final List<Long> existingIds;
    private final List<byte[]> validateBodies;
    private final int warmup;

    public QueryLatencyPhase(QueryClient client, Map<String, List<String>> searches, List<Long> existingIds, int warmup) {
        this.client = client;
        this.searches = searches;
        this.existingIds = existingIds;
        this.validateBodies = QuerySets.validateBodies(existingIds);
        this.warmup = warmup;
    }

    /** JIT, connection pools, buffer cache; the warm-up also creates the profiles that the measured GETs read. */
    public void warmUp() throws Exception {
        Bench.log("warm-up");
        List<String> allSearches = new ArrayList<>();
        searches.values().forEach(allSearches::addAll);
        client.measure("warm-up search", warmup, i -> client.searchRequest(allSearches.get(i % allSearches.size())), null);
        client.measure("warm-up by-stream", Math.max(1, warmup / 3), i -> client.get(byStream(i)), null);
        client.measure("warm-up user-activity", Math.max(1, warmup / 10), i -> client.get("/api/user-activity"), null);
        client.measure("warm-up validate", Math.max(1, warmup / 10), i -> client.post("/api/users/validate", validateBody(i)), null);
        client.measure("warm-up stats", Math.max(1, warmup / 10), i -> client.get(QueryClient.statsPath(i)), null);
        for (String[] route : ANALYTICS) {
            client.measure("warm-up " + route[0], Math.max(1, warmup / 10), i -> client.get(route[1]), null);
        }
        client.measure("warm-up profile PATCH", warmup, i -> client.profilePatch(existingId(i), i), null);
        client.measure("warm-up profile GET", warmup, i -> client.get("/api/users/" + existingId(i) + "/profile"), null);
        // other users than the measured ones: this warms the route's code (JIT), not the measured users' pages
        client.measure("warm-up user GET (detail)", warmup, i -> client.get("/api/users/" + existingId(DETAIL_WARMUP_OFFSET + i)), null);
    }

    /** The measured rows, in the table's order; renamed users are looked up in {@code sets} after the analytics rows. */
    public List<QueryClient.Result> measure(int requests, int heavyRequests, QuerySets sets) throws Exception {
        List<QueryClient.Result> results = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : searches.entrySet()) {
            List<String> qs = e.getValue();
            results.add(client.measure("search " + e.getKey(), requests, i -> client.searchRequest(qs.get(i % qs.size())), "/api/users/search"));
        }
        results.add(client.measure("by-stream (7 streams)", heavyRequests, i -> client.get(byStream(i)), "/api/users/by-stream"));
        results.add(client.measure("user-activity (days=7, limit 100)", heavyRequests, i -> client.get("/api/user-activity"), "/api/user-activity"));
        results.add(client.measure("validate (10,000 ids)", heavyRequests,
                i -> client.post("/api/users/validate", validateBody(i)), "/api/users/validate"));
        results.add(client.measure("stats (tz: UTC, Asia/Tehran, America/Los_Angeles)", heavyRequests,
                i -> client.get(QueryClient.statsPath(i)), "/api/stats"));
        for (String[] route : ANALYTICS) {
            results.add(client.measure(route[0], heavyRequests, i -> client.get(route[1]), route[2]));
        }
        List<String[]> renamed = sets.formerNames(200);
        if (!renamed.isEmpty()) {
            results.add(client.measure("names (renamed users)", requests,
                    i -> client.get("/api/users/" + renamed.get(i % renamed.size())[0] + "/names"), "/api/users/{id}/names"));
            results.add(client.measure("lookup (who was @x; half at a time)", requests,
                    i -> client.get("/api/users/lookup?username=" + renamed.get(i % renamed.size())[1]
                            + (i % 2 == 0 ? "" : "&at=2025-06-01T00:00:00Z")), "/api/users/lookup"));
        }
        // profiles of sampled users (the warm-up created them): a bot's onboarding write, then its read on every message
        results.add(client.measure("profile PATCH (merge patch, 2 fields)", requests,
                i -> client.profilePatch(existingId(i), warmup + i), "/api/users/{id}/profile"));
        results.add(client.measure("profile GET", requests, i -> client.get("/api/users/" + existingId(i) + "/profile"), "/api/users/{id}/profile"));
        results.add(client.measure("user GET (detail)", requests, i -> client.get("/api/users/" + existingId(i)), "/api/users/{id}"));
        return results;
    }

    private static String byStream(int i) {
        return "/api/users/by-stream?stream=" + GenerateData.STREAMS[i % GenerateData.STREAMS.length];
    }

    private long existingId(int i) {
        return existingIds.get(i % existingIds.size());
    }

    private byte[] validateBody(int i) {
        return validateBodies.get(i % validateBodies.size());
    }

    /**
     * Each row measured with {@code moreClients} against the same row with {@code clients}: server-side p99 and
     * mean, and throughput, each with its ratio (the second run over the first).
     */
    public static void writeComparison(Report report, List<QueryClient.Result> first, int clients,
                                       List<QueryClient.Result> second, int moreClients) {
        report.line("").line(String.format(Locale.ROOT, "### %d clients against %d (the same rows measured again right after)",
                moreClients, clients)).table("endpoint", clients + " client(s): server p99 ms", moreClients + ": server p99 ms",
                "ratio", clients + ": server mean ms", moreClients + ": server mean ms", "ratio", clients + ": req/s",
                moreClients + ": req/s", "ratio", moreClients + ": other CPU");
        Map<String, QueryClient.Result> byName = new HashMap<>();
        second.forEach(r -> byName.put(r.name(), r));
        for (QueryClient.Result one : first) {
            QueryClient.Result more = byName.get(one.name());
            if (more != null) {
                report.row(one.name(), Bench.fmt(one.serverP99Ms()), Bench.fmt(more.serverP99Ms()),
                        ratio(more.serverP99Ms(), one.serverP99Ms()), Bench.fmt(one.serverMeanMs()),
                        Bench.fmt(more.serverMeanMs()), ratio(more.serverMeanMs(), one.serverMeanMs()),
                        Bench.fmt(one.rps()), Bench.fmt(more.rps()), ratio(more.rps(), one.rps()),
                        String.format(Locale.ROOT, "%.0f%%", 100 * more.otherCpu()));
            }
        }
    }

    private static String ratio(double value, double reference) {
        return String.format(Locale.ROOT, "%.2f×", value / reference);
    }

    /** The latency table, the note on other processes' CPU, and the statements behind each row. */
    public static void writeTo(Report report, List<QueryClient.Result> results) {
        report.line("").line("### HTTP latency under load").table("endpoint", "requests", "req/s", "p50 ms", "p90 ms",
                "p99 ms", "max ms", "server mean ms", "server p99 ms", "SQL ms/req", "GC pauses / total", "other CPU", "errors");
        double worstOther = 0;
        for (QueryClient.Result r : results) {
            report.row(r.name(), r.count(), Bench.fmt(r.rps()), Bench.fmt(Bench.ms(r.h(), 50)), Bench.fmt(Bench.ms(r.h(), 90)),
                    Bench.fmt(Bench.ms(r.h(), 99)), Bench.fmt(r.h().getMaxValue() / 1000.0), Bench.fmt(r.serverMeanMs()),
                    Bench.fmt(r.serverP99Ms()), Bench.fmt(r.sqlMsPerRequest()), r.gcPauses(),
                    String.format(Locale.ROOT, "%.0f%%", 100 * r.otherCpu()), r.errors());
            worstOther = Math.max(worstOther, r.otherCpu());
        }
        report.line("").line("'other CPU' = share of all CPUs used by processes other than the benchmark, user-service and"
                + " PostgreSQL while the row was measured" + (worstOther > 0.05
                ? String.format(Locale.ROOT, " — up to %.0f%% here: the machine was NOT idle, figures are pessimistic.", 100 * worstOther)
                : "; the machine was otherwise idle."));
        report.line("").line("Statements behind each endpoint (pg_stat_statements: calls, mean and max execution time, text):").line("");
        for (QueryClient.Result r : results) {
            report.line("- " + r.name() + ": " + r.sqlTop());
        }
    }
}
