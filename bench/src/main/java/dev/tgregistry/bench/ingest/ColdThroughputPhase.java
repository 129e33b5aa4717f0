package dev.tgregistry.bench.ingest;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.report.Metrics;
import dev.tgregistry.bench.report.Report;
import dev.tgregistry.bench.stack.CpuMeter;
import dev.tgregistry.bench.stack.WaitSampler;
import org.HdrHistogram.Histogram;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingest benchmark's (a) throughput phase (and its warm-up): updates of distinct new users posted by
 * concurrent senders; the end-to-end rate is N over first request → all N rows visible (polled every 100 ms).
 */
final class ColdThroughputPhase {

    private final IngestBenchmark b;

    ColdThroughputPhase(IngestBenchmark bench) {
        this.b = bench;
    }

    /** The senders' state while a phase runs. */
    private record Senders(ExecutorService pool, List<Future<?>> futures, List<Histogram> perSender, AtomicInteger next,
                           AtomicLong failures, AtomicLong retries) {
        boolean allAnswered() {
            return futures.stream().allMatch(Future::isDone);
        }
    }

    /** When the rows of the range were all visible (or -1), when all requests were answered, the last count. */
    private record Visibility(long visibleAt, long httpDone, long lastCount) {
    }

    /** Sends {@code n} updates (distinct users from {@code base}); returns end-to-end records/s when measured. */
    double push(long base, int n, boolean measured) throws Exception {
        List<byte[]> bodies = bodies(base, n);
        long bytes = bodies.stream().mapToLong(x -> x.length).sum();
        String metricsBefore = new Metrics(b.userService.managementUrl()).scrape();
        String ingestBefore = new Metrics(b.botIngest.managementUrl()).scrape();
        var cpuBefore = b.cpu.snapshot();
        WaitSampler waits = measured ? new WaitSampler(b.stack, 20) : null;
        Bench.log((measured ? "throughput: " : "warm-up: ") + "sending " + n + " updates with " + b.senders + " senders");
        long t0 = System.nanoTime();
        Senders senders = send(bodies);
        Visibility v = awaitVisible(base, n, t0, senders, bodies.size());
        senders.pool().shutdown();
        for (Future<?> f : senders.futures()) {
            f.get();
        }
        long httpDone = v.httpDone() < 0 ? System.nanoTime() : v.httpDone();
        var cpuAfter = b.cpu.snapshot();
        String waitSummary = "";
        if (waits != null) {
            waits.close();
            waitSummary = waits.summary();
        }
        String metricsAfter = new Metrics(b.userService.managementUrl()).scrape();
        String ingestAfter = new Metrics(b.botIngest.managementUrl()).scrape();
        if (v.visibleAt() < 0) {
            Bench.log("  NOT all rows visible after 15 min: " + v.lastCount() + " of " + n);
        }
        double e2eSeconds = ((v.visibleAt() < 0 ? System.nanoTime() : v.visibleAt()) - t0) / 1e9;
        double httpSeconds = (httpDone - t0) / 1e9;
        double e2eRate = v.visibleAt() < 0 ? v.lastCount() / e2eSeconds : n / e2eSeconds;
        double httpRate = n / httpSeconds;
        Bench.log(String.format(Locale.ROOT, "  %s: HTTP accepted %,d in %.2f s (%,.0f/s); all visible after %.2f s (%,.0f/s)",
                measured ? "throughput" : "warm-up", n, httpSeconds, httpRate, e2eSeconds, e2eRate));
        if (!measured) {
            return e2eRate;
        }
        Histogram h = Bench.histogram();
        senders.perSender().forEach(h::add);
        Map<String, Double> cpuSec = CpuMeter.seconds(cpuBefore, cpuAfter);
        Map<String, Double> rssMax = b.rss.phaseMaxMb();
        report(n, e2eRate, e2eSeconds, httpRate, httpSeconds, bytes, h, senders);
        consumerRows(metricsBefore, metricsAfter, ingestBefore, ingestAfter, e2eSeconds);
        resourceRows(cpuSec, CpuMeter.othersShare(cpuBefore, cpuAfter, e2eSeconds), e2eSeconds, waitSummary, rssMax);
        return e2eRate;
    }

    private List<byte[]> bodies(long base, int n) {
        int batches = (n + b.batch - 1) / b.batch;
        Bench.log("building " + batches + " request bodies of " + b.batch + " updates");
        List<byte[]> bodies = new ArrayList<>(batches);
        long date = Instant.now().getEpochSecond();
        for (int i = 0; i < batches; i++) {
            int count = Math.min(b.batch, n - i * b.batch);
            bodies.add(Updates.batch(b.names, b.updateIds, base + (long) i * b.batch, count, date));
            b.updateIds += count;
        }
        return bodies;
    }

    /** Starts the senders: each takes the next body and posts it until 202 (at most 5 attempts). */
    private Senders send(List<byte[]> bodies) {
        Senders s = new Senders(Executors.newFixedThreadPool(b.senders), new ArrayList<>(), new ArrayList<>(),
                new AtomicInteger(), new AtomicLong(), new AtomicLong());
        for (int i = 0; i < b.senders; i++) {
            Histogram h = Bench.histogram();
            s.perSender().add(h);
            s.futures().add(s.pool().submit(() -> {
                int k;
                while ((k = s.next().getAndIncrement()) < bodies.size()) {
                    postUntilAccepted(bodies.get(k), h, s);
                }
                return null;
            }));
        }
        return s;
    }

    private void postUntilAccepted(byte[] body, Histogram h, Senders s) {
        for (int attempt = 1; ; attempt++) {
            long s0 = System.nanoTime();
            int status = b.ingest.status("/telegram/updates", body);
            h.recordValue(Math.max(1, (System.nanoTime() - s0) / 1000));
            if (status == 202) {
                return;
            }
            if (attempt == 5) {
                s.failures().incrementAndGet();
                return;
            }
            s.retries().incrementAndGet();
            Bench.sleep(200L * attempt);
        }
    }

    /** Polls the table while sending: visible count of this phase's id range, until N, 15 min, or 60 s without progress. */
    private Visibility awaitVisible(long base, int n, long t0, Senders senders, int requests) throws Exception {
        long httpDone = -1;
        long lastCount = 0;
        long lastLog = t0;
        long progressCount = -1;
        long progressAt = t0;
        try (Connection c = b.stack.connect();
             PreparedStatement count = c.prepareStatement("SELECT count(*) FROM users WHERE user_id >= ? AND user_id < ?")) {
            count.setLong(1, base);
            count.setLong(2, base + n);
            long deadline = t0 + Duration.ofMinutes(15).toNanos();
            while (System.nanoTime() < deadline) {
                if (httpDone < 0 && senders.allAnswered()) {
                    httpDone = System.nanoTime();
                    Bench.log(String.format(Locale.ROOT, "  all HTTP requests answered after %.2f s", (httpDone - t0) / 1e9));
                }
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    lastCount = rs.getLong(1);
                }
                long now = System.nanoTime();
                if (lastCount >= n) {
                    return new Visibility(now, httpDone, lastCount);
                }
                if (lastCount != progressCount) {
                    progressCount = lastCount;
                    progressAt = now;
                } else if (httpDone > 0 && now - progressAt > 60_000_000_000L) {
                    Bench.log("  no new rows for 60 s after the last HTTP answer (" + senders.failures().get() + " failed requests); giving up");
                    break;
                }
                if (now - lastLog > 2_000_000_000L) {
                    lastLog = now;
                    Bench.log(String.format(Locale.ROOT, "  %.1f s: %,d requests sent, %,d rows visible", (now - t0) / 1e9,
                            Math.min(senders.next().get(), requests), lastCount));
                }
                Bench.sleep(100);
            }
        }
        return new Visibility(-1, httpDone, lastCount);
    }

    private void report(int n, double e2eRate, double e2eSeconds, double httpRate, double httpSeconds, long bytes, Histogram h,
                        Senders senders) {
        Report report = b.report;
        report.line("").line(String.format(Locale.ROOT, "### (a) Throughput: %,d updates, %d per request, %d concurrent senders"
                        + " (after %,d warm-up updates)", n, b.batch, b.senders, b.warmup))
                .table("measure", "value");
        report.row("end to end (first request sent → `count(*)` of the range = N, polled every 100 ms)",
                String.format(Locale.ROOT, "**%,.0f updates/s** (%.2f s)", e2eRate, e2eSeconds));
        report.row("HTTP accept rate (202 = Kafka acknowledged)", String.format(Locale.ROOT, "%,.0f updates/s (%.2f s), %.1f MB of JSON",
                httpRate, httpSeconds, bytes / 1e6));
        report.row("HTTP request latency (" + b.batch + " updates) p50 / p99 / max", Bench.fmt(Bench.ms(h, 50)) + " / "
                + Bench.fmt(Bench.ms(h, 99)) + " / " + Bench.fmt(h.getMaxValue() / 1000.0) + " ms");
        report.row("failed requests / retries (non-202)", senders.failures().get() + " / " + senders.retries().get());
    }

    /** Consumer-side figures from user-service's own metrics, and bot-ingest's server time. */
    private void consumerRows(String metricsBefore, String metricsAfter, String ingestBefore, String ingestAfter, double e2eSeconds) {
        Metrics.BatchWrites w = Metrics.BatchWrites.between(metricsBefore, metricsAfter);
        if (w.batches() > 0) {
            b.report.row("user-service consumer: batches, mean batch size, mean DB write per batch",
                    String.format(Locale.ROOT, "%,.0f batches, %,.0f records, %.1f ms (%.1f s of %.1f s wall in DB writes)",
                            w.batches(), w.records() / w.batches(), w.seconds() * 1000 / w.batches(), w.seconds(), e2eSeconds));
        }
        Map<String, Double> ingestTime = Metrics.serverTime(ingestBefore, ingestAfter, "/telegram/updates");
        if (ingestTime.get("count") > 0) {
            b.report.row("bot-ingest server time per request (mean, http.server.requests)", Bench.fmt(ingestTime.get("mean_ms")) + " ms");
        }
    }

    private void resourceRows(Map<String, Double> cpuSec, double others, double e2eSeconds, String waitSummary, Map<String, Double> rssMax) {
        StringBuilder cpuText = new StringBuilder(CpuMeter.shares(cpuSec, e2eSeconds, true));
        cpuText.append(String.format(Locale.ROOT, "; other processes on the machine %.0f%%%s", 100 * others,
                others > 0.05 ? " — NOT an idle machine, figures are low" : ""));
        b.report.row("CPU time during the phase (share of all cores)", cpuText);
        b.report.row("PostgreSQL activity of the services' sessions (pg_stat_activity every 20 ms; % of samples)", waitSummary);
        b.report.row("max RSS during the phase", "user-service " + Bench.fmt(rssMax.get("user-service")) + " MB, bot-ingest "
                + Bench.fmt(rssMax.get("bot-ingest")) + " MB");
    }
}
