package dev.tgregistry.bench.query;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.report.Report;
import dev.tgregistry.bench.stack.Stack;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The query benchmark's plans, captured with auto_explain from the running service: bench/README.md, "Plans". */
final class PlansPhase {

    private final Stack stack;
    private final QueryClient client;

    PlansPhase(Stack stack, QueryClient client) {
        this.stack = stack;
        this.client = client;
    }

    void writeTo(Report report, List<QueryClient.Result> results) throws Exception {
        report.line("").line("### Plans").line("")
                .line("user-service's statements as it ran them (auto_explain with log_analyze and log_buffers switched on"
                        + " for these requests only); for search, the query with the highest mean HTTP latency of its category.");
        try (Connection c = stack.connect(); Statement st = c.createStatement()) {
            capture(report, st, requests(results));
            originals(report, c, st);
        }
    }

    /** Plans of the given {description, path and query} requests, one request each, as user-service ran them. */
    void writeTo(Report report, String heading, List<String[]> requests) throws Exception {
        report.line("").line(heading).line("")
                .line("user-service's statements as it ran them (auto_explain with log_analyze and log_buffers switched on"
                        + " for these requests only).");
        try (Connection c = stack.connect(); Statement st = c.createStatement()) {
            capture(report, st, requests);
        }
    }

    private void capture(Report report, Statement st, List<String[]> requests) throws Exception {
        Path log = stack.postgres().logFile();
        for (String[] req : requests) {
            long offset = Files.size(log);
            autoExplain(st, true);
            HttpResponse<String> resp = client.http.send(client.get(req[1]), HttpResponse.BodyHandlers.ofString());
            Bench.sleep(300);
            autoExplain(st, false);
            List<String> plans = loggedPlans(log, offset);
            report.line("").line(req[0] + ": HTTP " + resp.statusCode() + ", " + plans.size() + " statement(s)");
            for (String p : plans) {
                report.code(p);
            }
        }
    }

    /** {description, path and query} of the requests whose plans are captured. */
    private static List<String[]> requests(List<QueryClient.Result> results) {
        List<String[]> requests = new ArrayList<>();
        for (String category : List.of("3 chars, prefix", "3 chars, inner substring", "6 chars, inner substring")) {
            QueryClient.Result r = results.stream().filter(x -> x.name().equals("search " + category)).findFirst().orElse(null);
            if (r == null || r.perQuery().isEmpty()) {
                continue;
            }
            String rawQuery = r.perQuery().entrySet().stream()
                    .max((a, b) -> Double.compare(a.getValue()[0] / a.getValue()[1], b.getValue()[0] / b.getValue()[1]))
                    .orElseThrow().getKey();
            double meanMs = r.perQuery().get(rawQuery)[0] / r.perQuery().get(rawQuery)[1] / 1000;
            String q = URLDecoder.decode(rawQuery.substring(rawQuery.indexOf('=') + 1), StandardCharsets.UTF_8);
            requests.add(new String[]{String.format(Locale.ROOT, "Search `%s` (%s; mean %.1f ms over HTTP in the load run)",
                    q, category, meanMs), "/api/users/search?" + rawQuery});
        }
        requests.add(new String[]{"user-activity (days=7)", "/api/user-activity"});
        requests.add(new String[]{"stats (tz=Asia/Tehran)", QueryClient.statsPath(1)});
        return requests;
    }

    private static void originals(Report report, Connection c, Statement st) throws SQLException {
        String sample = "'ale'";
        String orig = OriginalSql.ORIGINAL_SEARCH.replace("?", sample);
        report.line("").line("Original search (`ale`), default planner settings (shows whether any of our indexes would serve it):")
                .code(plan(st, "EXPLAIN " + orig));
        c.setAutoCommit(false);
        st.execute("SET LOCAL enable_bitmapscan = off");
        report.line("").line("Original search (`ale`) as measured, `SET LOCAL enable_bitmapscan = off`:")
                .code(plan(st, "EXPLAIN (ANALYZE, BUFFERS) " + orig));
        c.commit();
        st.execute("SET LOCAL enable_indexscan = off");
        st.execute("SET LOCAL enable_indexonlyscan = off");
        st.execute("SET LOCAL enable_bitmapscan = off");
        report.line("").line("Original lead scoring as measured (no index scans):")
                .code(plan(st, "EXPLAIN (ANALYZE, BUFFERS) " + OriginalSql.ORIGINAL_LEADS));
        c.commit();
    }

    /** Switches auto_explain on (every statement, with ANALYZE and BUFFERS) or off for all sessions. */
    static void autoExplain(Statement st, boolean on) throws SQLException {
        if (on) {
            st.execute("ALTER SYSTEM SET auto_explain.log_analyze = on");
            st.execute("ALTER SYSTEM SET auto_explain.log_buffers = on");
            st.execute("ALTER SYSTEM SET auto_explain.log_min_duration = 0");
        } else {
            st.execute("ALTER SYSTEM RESET auto_explain.log_min_duration");
            st.execute("ALTER SYSTEM RESET auto_explain.log_analyze");
            st.execute("ALTER SYSTEM RESET auto_explain.log_buffers");
        }
        st.execute("SELECT pg_reload_conf()");
        Bench.sleep(300); // backends apply the reload before their next statement
    }

    /** auto_explain entries of the server log after {@code offset}: "duration: ... plan:" and the plan lines. */
    private static List<String> loggedPlans(Path log, long offset) throws IOException {
        byte[] all = Files.readAllBytes(log);
        String text = new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset), StandardCharsets.UTF_8);
        List<String> plans = new ArrayList<>();
        StringBuilder cur = null;
        for (String line : text.split("\n")) {
            if (line.contains("LOG:  duration:") && line.contains("plan:")) {
                if (cur != null) {
                    plans.add(cur.toString());
                }
                cur = new StringBuilder(line.substring(line.indexOf("duration:"))).append('\n');
            } else if (cur != null && (line.startsWith("\t") || line.startsWith(" "))) {
                cur.append(line.startsWith("\t") ? line.substring(1) : line).append('\n');
            } else if (cur != null) {
                plans.add(cur.toString());
                cur = null;
            }
        }
        if (cur != null) {
            plans.add(cur.toString());
        }
        // the benchmark's own pg_reload_conf/ALTER SYSTEM are not logged (utility statements); drop anything else of ours
        plans.removeIf(p -> p.contains("pg_reload_conf") || p.contains("pg_stat_statements"));
        return plans;
    }

    private static String plan(Statement st, String sql) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                sb.append(rs.getString(1)).append('\n');
            }
        }
        return sb.toString();
    }
}
