package dev.tgregistry.bench.query;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.report.Report;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The query benchmark's targets table: each measured figure against its target, PASS or MISS. */
final class QueryTargets {

    private static final double TARGET_SEARCH_P99_MS = 15;
    private static final double TARGET_SEARCH_RATIO = 20;
    private static final double TARGET_ACTIVITY_P99_MS = 200;
    private static final double TARGET_VALIDATE_MS = 50;
    private static final double TARGET_STATS_P99_MS = 50;
    static final double TARGET_RSS_MB = 300;
    private static final double TARGET_PROFILE_GET_P99_MS = 5;
    private static final double TARGET_PROFILE_PATCH_P99_MS = 10;
    private static final double TARGET_ANALYTICS_P99_MS = 100;

    private QueryTargets() {
    }

    /** The first row whose name starts with {@code prefix}. */
    static QueryClient.Result named(List<QueryClient.Result> results, String prefix) {
        return results.stream().filter(r -> r.name().startsWith(prefix)).findFirst().orElseThrow();
    }

    static void writeTo(Report report, List<QueryClient.Result> results, double minSearchRatio, double rssMax,
                        Map<String, Double> rssLoad, CsvExportPhase.Run csvExport, List<ErasureTiming.Run> erasures) {
        report.line("").line("### Targets").table("target", "measured", "verdict");
        search(report, results, minSearchRatio);
        QueryClient.Result activity = named(results, "user-activity");
        QueryClient.Result validate = named(results, "validate");
        QueryClient.Result stats = named(results, "stats");
        report.row("user-activity p99 < 200 ms", Bench.fmt(Bench.ms(activity.h(), 99)) + " ms",
                Bench.passMiss(Bench.ms(activity.h(), 99) < TARGET_ACTIVITY_P99_MS));
        report.row("validate 10k ids < 50 ms (p99)", Bench.fmt(Bench.ms(validate.h(), 99)) + " ms (p50 "
                + Bench.fmt(Bench.ms(validate.h(), 50)) + ")", Bench.passMiss(Bench.ms(validate.h(), 99) < TARGET_VALIDATE_MS));
        serverP99(report, "stats p99 < 50 ms server-side", stats, TARGET_STATS_P99_MS);
        serverP99(report, "GET profile p99 < 5 ms server-side", named(results, "profile GET"), TARGET_PROFILE_GET_P99_MS);
        serverP99(report, "GET user p99 < 5 ms server-side", named(results, "user GET"), TARGET_PROFILE_GET_P99_MS);
        serverP99(report, "PATCH profile p99 < 10 ms server-side", named(results, "profile PATCH"), TARGET_PROFILE_PATCH_P99_MS);
        report.row("user-service RSS < 300 MB (max over the run)", Bench.fmt(rssMax) + " MB (under load: "
                + Bench.fmt(rssLoad.get("user-service")) + ")", Bench.passMiss(rssMax < TARGET_RSS_MB));
        for (QueryClient.Result r : results) {
            if (Arrays.stream(QueryLatencyPhase.ANALYTICS).anyMatch(route -> route[0].equals(r.name()))) {
                report.row(r.name() + " p99 < 100 ms", Bench.fmt(Bench.ms(r.h(), 99)) + " ms",
                        Bench.passMiss(Bench.ms(r.h(), 99) < TARGET_ANALYTICS_P99_MS));
            }
        }
        report.row("CSV export of non-course users (" + csvExport.rows() + " rows, " + Bench.fmt(csvExport.mb())
                        + " MB) while it streams: RSS < 300 MB",
                Bench.fmt(csvExport.seconds()) + " s, user-service RSS max " + Bench.fmt(csvExport.rssMb()) + " MB",
                Bench.passMiss(csvExport.rssMb() < TARGET_RSS_MB));
        for (ErasureTiming.Run e : erasures) {
            report.row("erasure of a user with " + ErasureTiming.EVENTS + " events (DELETE /api/users/" + e.userId() + ")",
                    Bench.fmt(e.millis()) + " ms, HTTP " + e.status() + ", rows left " + e.rowsLeft(),
                    e.status() == 200 && e.rowsLeft() == 0 ? "done" : "FAILED");
        }
    }

    /** Worst search category server-side, the speed-up over the original, and the rename rows. */
    private static void search(Report report, List<QueryClient.Result> results, double minSearchRatio) {
        double worstSearchP99 = 0;
        String worstSearch = "";
        double worstClientP99 = 0;
        for (QueryClient.Result r : results) {
            if (!r.name().startsWith("search ")) {
                continue;
            }
            worstClientP99 = Math.max(worstClientP99, Bench.ms(r.h(), 99));
            if (r.serverP99Ms() > worstSearchP99) {
                worstSearchP99 = r.serverP99Ms();
                worstSearch = r.name().substring("search ".length());
            }
        }
        report.row("search p99 < 15 ms server-side (worst category)", Bench.fmt(worstSearchP99) + " ms (" + worstSearch
                        + "; client-side worst category " + Bench.fmt(worstClientP99) + " ms)",
                Bench.passMiss(worstSearchP99 < TARGET_SEARCH_P99_MS));
        report.row("search ≥ 20× faster than the original SQL (worst category, p50)", Bench.fmt(minSearchRatio) + "×",
                Bench.passMiss(minSearchRatio >= TARGET_SEARCH_RATIO));
        for (QueryClient.Result r : results) {
            if (r.name().startsWith("names") || r.name().startsWith("lookup") || r.name().equals("search former username only")) {
                report.row(r.name() + ": p99 < 15 ms server-side", Bench.fmt(r.serverP99Ms()) + " ms (client-side "
                        + Bench.fmt(Bench.ms(r.h(), 99)) + " ms)", Bench.passMiss(r.serverP99Ms() < TARGET_SEARCH_P99_MS));
            }
        }
    }

    private static void serverP99(Report report, String target, QueryClient.Result r, double limitMs) {
        report.row(target, Bench.fmt(r.serverP99Ms()) + " ms (client-side " + Bench.fmt(Bench.ms(r.h(), 99)) + ")",
                Bench.passMiss(r.serverP99Ms() < limitMs));
    }
}
