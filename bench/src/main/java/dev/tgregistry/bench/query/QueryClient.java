package dev.tgregistry.bench.query;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.report.Metrics;
import dev.tgregistry.bench.stack.CpuMeter;
import dev.tgregistry.bench.stack.Stack;
import org.HdrHistogram.Histogram;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The query benchmark's HTTP side: user-service's requests and {@link #measure}, which drives one endpoint from
 * closed-loop clients and collects client latency, the service's own metrics, its SQL and the other processes' CPU.
 */
public final class QueryClient {

    /** One measured row of the results table. */
    public record Result(String name, long count, double seconds, Histogram h, double serverMeanMs, double serverP99Ms, String gcPauses,
                  double sqlMsPerRequest, String sqlTop, double otherCpu, long errors, Map<String, double[]> perQuery) {
        double rps() {
            return count / seconds;
        }
    }

    /** What the service says about the measured requests (NaN / empty when not asked). */
    private record ServerSide(double meanMs, double p99Ms, String gcPauses, double sqlMsPerRequest, String sqlTop) {
        static final ServerSide NONE = new ServerSide(Double.NaN, Double.NaN, "", Double.NaN, "");
    }

    /** Latencies of one client thread: all requests, and sum/count per query string. */
    private record ClientLoad(Histogram h, Map<String, double[]> perQuery) {
    }

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Stack stack;
    private final Stack.Service userService;
    private final CpuMeter cpu;
    private final int clients;
    private static final long RUN_STARTED = Instant.now().getEpochSecond();
    /** -Dbench.request-log=FILE: each request's start (epoch ms), latency (µs), method and path, to line up a tail with the service's JFR recording. */
    private static final PrintStream REQUEST_LOG = openRequestLog();

    public QueryClient(Stack stack, Stack.Service userService, CpuMeter cpu, int clients) {
        this.stack = stack;
        this.userService = userService;
        this.cpu = cpu;
        this.clients = clients;
    }

    private static PrintStream openRequestLog() {
        String file = System.getProperty("bench.request-log");
        try {
            return file == null ? null : new PrintStream(new FileOutputStream(file, true), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET /api/stats, its "today" in one of three zones in turn (each a different range of the day indexes). */
    static String statsPath(int i) {
        return "/api/stats?tz=" + List.of("UTC", "Asia/Tehran", "America/Los_Angeles").get(i % 3);
    }

    HttpRequest searchRequest(String q) {
        return get("/api/users/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
    }

    HttpRequest get(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(userService.baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + Stack.API_KEY).GET().build();
    }

    HttpRequest post(String path, byte[] body) {
        return HttpRequest.newBuilder(URI.create(userService.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + Stack.API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /**
     * A bot's profile write: a changing attribute and activity time, so every request changes the profile. Both
     * start from this run's start: a run on the same data (the same sampled users) must not find its values already
     * written by an earlier run, which would make its PATCHes changes of nothing.
     */
    HttpRequest profilePatch(long userId, int i) {
        long step = RUN_STARTED + i;
        String body = "{\"onboarding_completed\": true, \"last_activity\": \"" + Instant.ofEpochSecond(step)
                + "\", \"attributes\": {\"bench_step\": " + step + "}}";
        return HttpRequest.newBuilder(URI.create(userService.baseUrl() + "/api/users/" + userId + "/profile"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + Stack.API_KEY)
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /**
     * {@code count} requests from the closed-loop clients; request i is {@code requestFor.apply(i)}. With a
     * {@code metricsUri} the service's figures for that uri (and its SQL) over the same requests are collected too.
     */
    Result measure(String name, int count, IntFunction<HttpRequest> requestFor, String metricsUri) throws Exception {
        Metrics metrics = new Metrics(userService.managementUrl());
        String before = metricsUri == null ? "" : metrics.scrape();
        if (metricsUri != null) {
            try (Connection c = stack.connect(); Statement st = c.createStatement()) {
                st.execute("SELECT pg_stat_statements_reset()");
            }
        }
        AtomicLong errors = new AtomicLong();
        var cpuBefore = cpu == null ? null : cpu.snapshot();
        long t0 = System.nanoTime();
        List<ClientLoad> loads = load(count, requestFor, errors);
        double secs = (System.nanoTime() - t0) / 1e9;
        double otherCpu = cpuBefore == null ? Double.NaN : CpuMeter.othersShare(cpuBefore, cpu.snapshot(), secs);
        Histogram all = Bench.histogram();
        Map<String, double[]> perQuery = new HashMap<>();
        for (ClientLoad l : loads) {
            all.add(l.h());
            l.perQuery().forEach((k, v) -> perQuery.merge(k, v.clone(), (a, b) -> new double[]{a[0] + b[0], a[1] + b[1]}));
        }
        ServerSide server = metricsUri == null ? ServerSide.NONE : serverSide(before, metrics.scrape(), metricsUri, count);
        Bench.log(String.format(Locale.ROOT, "  %-40s %6d req %8.1f req/s  p50 %7.2f  p99 %7.2f  max %7.2f ms  errors %d",
                name, count, count / secs, Bench.ms(all, 50), Bench.ms(all, 99), all.getMaxValue() / 1000.0, errors.get()));
        return new Result(name, count, secs, all, server.meanMs(), server.p99Ms(), server.gcPauses(), server.sqlMsPerRequest(),
                server.sqlTop(), otherCpu, errors.get(), perQuery);
    }

    private List<ClientLoad> load(int count, IntFunction<HttpRequest> requestFor, AtomicLong errors) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<ClientLoad> loads = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            ClientLoad l = new ClientLoad(Bench.histogram(), new HashMap<>());
            loads.add(l);
            fs.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    send(requestFor.apply(i), l, errors);
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return loads;
    }

    private void send(HttpRequest req, ClientLoad l, AtomicLong errors) throws InterruptedException {
        long startedAt = System.currentTimeMillis();
        long s0 = System.nanoTime();
        int status;
        try {
            HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            status = resp.statusCode();
        } catch (IOException e) {
            status = -1;
        }
        long us = Math.max(1, (System.nanoTime() - s0) / 1000);
        l.h().recordValue(us);
        if (REQUEST_LOG != null) {
            REQUEST_LOG.println(startedAt + " " + us + " " + req.method() + " " + req.uri().getRawPath());
        }
        double[] q = l.perQuery().computeIfAbsent(req.uri().getRawQuery() == null ? "" : req.uri().getRawQuery(), k -> new double[2]);
        q[0] += us;
        q[1]++;
        if (status != 200) {
            errors.incrementAndGet();
        }
    }

    private ServerSide serverSide(String before, String after, String metricsUri, int count) throws Exception {
        double serverMean = Metrics.serverTime(before, after, metricsUri).get("mean_ms");
        double serverP99 = Metrics.serverPercentile(before, after, metricsUri, 0.99);
        double pauses = Metrics.delta(before, after, "jvm_gc_pause_seconds_count");
        double pausedMs = 1000 * Metrics.delta(before, after, "jvm_gc_pause_seconds_sum");
        String gcPauses = String.format(Locale.ROOT, "%.0f / %.0f ms", pauses, pausedMs);
        StringBuilder sqlTop = new StringBuilder();
        double total = 0;
        try (Connection c = stack.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT calls, mean_exec_time, max_exec_time, total_exec_time,"
                     + " left(regexp_replace(query, '\\s+', ' ', 'g'), 90) FROM pg_stat_statements"
                     + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                     + " AND query NOT ILIKE '%pg_stat_statements%' AND query NOT ILIKE 'SET %' AND calls > 0 ORDER BY total_exec_time DESC")) {
            int shown = 0;
            while (rs.next()) {
                total += rs.getDouble(4);
                if (shown++ < 3) {
                    sqlTop.append(shown == 1 ? "" : "; ").append(String.format(Locale.ROOT, "%,d × %.2f ms (max %.1f) `%s`",
                            rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getString(5).replace("`", "'")));
                }
            }
        }
        return new ServerSide(serverMean, serverP99, gcPauses, total / count, sqlTop.toString());
    }
}
