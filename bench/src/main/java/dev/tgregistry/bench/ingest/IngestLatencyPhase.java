package dev.tgregistry.bench.ingest;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.report.Metrics;
import dev.tgregistry.bench.report.Report;
import dev.tgregistry.bench.stack.CpuMeter;
import org.HdrHistogram.Histogram;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The ingest benchmark's (b) latency phase and, with a steady stream, (b2) steady latency: a fixed offered rate,
 * sent asynchronously, rows polled by id; how the upper and lower bounds are taken: bench/README.md, "bench/run ingest".
 */
final class IngestLatencyPhase {

    private static final long LATENCY_BASE = 7_000_000_000L;
    private static final long STEADY_LATENCY_BASE = 7_500_000_000L;

    private final IngestBenchmark b;
    private final SteadyStream steady;
    private final int batches;
    // cold: every update a new user, all tracked; steady: returning users, the last update of each request a
    // marker (a new user id) whose visibility is tracked
    private final int perBatch;
    private final long base;
    private final int total;
    private final long intervalNanos;

    private final long[] sentWall;
    private final AtomicInteger sentCount = new AtomicInteger();
    private final Histogram httpLatency = Bench.histogram();
    private final AtomicLong httpFailures = new AtomicLong();
    private final Histogram visible = Bench.histogram();
    private final Histogram committedLower = Bench.histogram();
    private long negativeLower;
    private int seenCount;
    private long polls;
    private long pollNanos;

    /** {@code steady} null: the cold phase (b), all updates new users. */
    IngestLatencyPhase(IngestBenchmark bench, SteadyStream steady) {
        this.b = bench;
        this.steady = steady;
        this.batches = b.rate * b.seconds / b.latencyBatch;
        this.perBatch = steady == null ? b.latencyBatch : 1;
        this.base = steady == null ? LATENCY_BASE : STEADY_LATENCY_BASE;
        this.total = batches * perBatch;
        this.intervalNanos = 1_000_000_000L * b.latencyBatch / b.rate;
        this.sentWall = new long[batches];
    }

    /** Runs the phase and writes its section; returns the p99 (ms) of the polled latency, infinite if rows were missing. */
    double run() throws Exception {
        Bench.log(String.format(Locale.ROOT, "latency%s: %,d updates/s as %d per request every %.1f ms for %d s (%,d tracked)",
                steady == null ? "" : " (steady)", b.rate, b.latencyBatch, intervalNanos / 1e6, b.seconds, total));
        byte[][] bodies = bodies();
        var cpuBefore = b.cpu.snapshot();
        String metricsBefore = new Metrics(b.userService.managementUrl()).scrape();
        Thread scheduler = new Thread(() -> sendOnSchedule(bodies), "latency-scheduler");
        long t0 = System.nanoTime();
        scheduler.start();
        poll(t0);
        scheduler.join();
        double wall = (System.nanoTime() - t0) / 1e9;
        var cpuAfter = b.cpu.snapshot();
        String metricsAfter = new Metrics(b.userService.managementUrl()).scrape();
        Bench.sleep(500); // let the last answers arrive
        Map<String, Double> rssMax = b.rss.phaseMaxMb();
        Map<String, Double> cpuSec = CpuMeter.seconds(cpuBefore, cpuAfter);
        double p99 = Bench.ms(visible, 99);
        Bench.log(String.format(Locale.ROOT, "  latency: %,d of %,d rows seen; p50 %.1f ms, p99 %.1f ms", seenCount, total,
                Bench.ms(visible, 50), p99));
        latencyTable(p99);
        consumerLine(metricsBefore, metricsAfter, wall);
        resourceLine(cpuSec, CpuMeter.othersShare(cpuBefore, cpuAfter, wall), wall, rssMax);
        return seenCount < total ? Double.POSITIVE_INFINITY : p99;
    }

    private byte[][] bodies() {
        byte[][] bodies = new byte[batches][];
        long date = Instant.now().getEpochSecond() + 5;
        for (int i = 0; i < batches; i++) {
            if (steady == null) {
                bodies[i] = Updates.batch(b.names, b.updateIds, LATENCY_BASE + (long) i * b.latencyBatch, b.latencyBatch, date);
            } else {
                SteadyStream.Sighting[] s = new SteadyStream.Sighting[b.latencyBatch];
                System.arraycopy(steady.next(b.latencyBatch - 1, Math.max(date, steady.lastDate()), 1_000_000), 0, s, 0, b.latencyBatch - 1);
                s[b.latencyBatch - 1] = new SteadyStream.Sighting(base + i, b.names.telegramUser(), date);
                bodies[i] = SteadyStream.body(s, 0, b.latencyBatch, b.updateIds);
            }
            b.updateIds += b.latencyBatch;
        }
        return bodies;
    }

    private void sendOnSchedule(byte[][] bodies) {
        long start = System.nanoTime() + 50_000_000L;
        for (int i = 0; i < batches; i++) {
            long due = start + i * intervalNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            HttpRequest req = b.ingest.request("/telegram/updates", bodies[i]);
            long s0 = System.nanoTime();
            sentWall[i] = System.currentTimeMillis();
            sentCount.set(i + 1);
            b.http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, err) -> {
                long us = Math.max(1, (System.nanoTime() - s0) / 1000);
                synchronized (httpLatency) {
                    httpLatency.recordValue(Math.min(us, 600_000_000L));
                }
                if (err != null || r.statusCode() != 202) {
                    httpFailures.incrementAndGet();
                }
            });
        }
    }

    /** Every {@code pollMs}: which sent ids are visible now; until all are, or the phase plus 120 s. */
    private void poll(long t0) throws Exception {
        boolean[] seen = new boolean[total];
        int minPending = 0;
        try (Connection c = b.stack.connect();
             PreparedStatement q = c.prepareStatement(
                     "SELECT user_id, (extract(epoch FROM updated_at) * 1000)::bigint FROM users WHERE user_id = ANY(?)")) {
            long deadline = t0 + Duration.ofSeconds(b.seconds + 120L).toNanos();
            long nextPoll = System.nanoTime();
            while (seenCount < total && System.nanoTime() < deadline) {
                int maxIdx = sentCount.get() * perBatch;
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
                    pollOnce(c, q, pending, seen);
                }
                nextPoll += b.pollMs * 1_000_000L;
                long wait = nextPoll - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else {
                    nextPoll = System.nanoTime();
                }
            }
        }
    }

    private void pollOnce(Connection c, PreparedStatement q, List<Long> pending, boolean[] seen) throws Exception {
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

    private void latencyTable(double p99) {
        Report report = b.report;
        report.line("").line(String.format(Locale.ROOT, "### (b%s) Latency at a fixed offered rate%s: %,d updates/s for %d s"
                + " (%d per request every %.0f ms, asynchronous sends)", steady == null ? "" : "2", steady == null
                ? ", new users" : ", returning users (steady; the last update of each request a new-user marker, markers tracked)",
                b.rate, b.seconds, b.latencyBatch, intervalNanos / 1e6));
        report.table("measure", "p50", "p90", "p99", "p99.9", "max");
        report.row("event→row, observed by polling every " + b.pollMs + " ms (upper bound, used for the target)",
                Bench.fmt(Bench.ms(visible, 50)), Bench.fmt(Bench.ms(visible, 90)), "**" + Bench.fmt(p99) + "**",
                Bench.fmt(Bench.ms(visible, 99.9)), Bench.fmt(visible.getMaxValue() / 1000.0));
        report.row("event→`updated_at` (consumer transaction start; lower bound)", Bench.fmt(Bench.ms(committedLower, 50)),
                Bench.fmt(Bench.ms(committedLower, 90)), Bench.fmt(Bench.ms(committedLower, 99)),
                Bench.fmt(Bench.ms(committedLower, 99.9)), Bench.fmt(committedLower.getMaxValue() / 1000.0));
        report.row("HTTP request (" + b.latencyBatch + " updates) until 202", Bench.fmt(Bench.ms(httpLatency, 50)),
                Bench.fmt(Bench.ms(httpLatency, 90)), Bench.fmt(Bench.ms(httpLatency, 99)),
                Bench.fmt(Bench.ms(httpLatency, 99.9)), Bench.fmt(httpLatency.getMaxValue() / 1000.0));
        report.line("").line(String.format(Locale.ROOT, "Rows seen: %,d of %,d; non-202 answers: %d; polls: %,d (mean %.1f ms each);"
                        + " updated_at before send time (clock granularity): %d.", seenCount, total, httpFailures.get(), polls,
                polls == 0 ? 0 : pollNanos / 1e6 / polls, negativeLower));
    }

    private void consumerLine(String metricsBefore, String metricsAfter, double wall) {
        Metrics.BatchWrites w = Metrics.BatchWrites.between(metricsBefore, metricsAfter);
        if (w.batches() > 0) {
            b.report.line(String.format(Locale.ROOT, "user-service consumer: %,.0f batches, mean %,.0f records, mean DB write %.1f ms,"
                            + " max DB write %.0f ms (registry.batch.write max, recent window); %.1f s of %.1f s wall in DB writes.",
                    w.batches(), w.records() / w.batches(), w.seconds() * 1000 / w.batches(),
                    Metrics.sum(metricsAfter, "registry_batch_write_seconds_max", "topic=\"telegram.user-seen.v1\"") * 1000, w.seconds(), wall));
        }
    }

    private void resourceLine(Map<String, Double> cpuSec, double others, double wall, Map<String, Double> rssMax) {
        StringBuilder cpuText = new StringBuilder(CpuMeter.shares(cpuSec, wall, false));
        cpuText.append(String.format(Locale.ROOT, ", other processes on the machine %.0f%%%s", 100 * others,
                others > 0.05 ? " (NOT an idle machine)" : ""));
        b.report.line("CPU share of all cores during the phase: " + cpuText + ". Max RSS: user-service "
                + Bench.fmt(rssMax.get("user-service")) + " MB, bot-ingest " + Bench.fmt(rssMax.get("bot-ingest")) + " MB.");
    }
}
