package dev.tgregistry.bench.stack;

import dev.tgregistry.bench.Bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples {@code VmRSS} of processes from {@code /proc/<pid>/status} every {@code periodMillis} on a daemon thread
 * and keeps, per process, the maximum since the last {@link #resetPhase()} and over the whole run.
 */
public final class RssSampler implements AutoCloseable {
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final Map<String, Long> phaseMax = new LinkedHashMap<>();
    private final Map<String, Long> runMax = new LinkedHashMap<>();
    private final Map<String, Long> last = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Bench.daemons("rss-sampler"));

    public RssSampler(long periodMillis) {
        timer.scheduleWithFixedDelay(this::sample, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    public synchronized void watch(String name, long pid) {
        pids.put(name, pid);
    }

    private synchronized void sample() {
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            long kb = vmRssKb(e.getValue());
            if (kb < 0) {
                continue;
            }
            last.put(e.getKey(), kb);
            phaseMax.merge(e.getKey(), kb, Math::max);
            runMax.merge(e.getKey(), kb, Math::max);
        }
    }

    /** Max RSS in MB since the last reset (sampling once more first). */
    public synchronized Map<String, Double> phaseMaxMb() {
        sample();
        return toMb(phaseMax);
    }

    public synchronized Map<String, Double> runMaxMb() {
        sample();
        return toMb(runMax);
    }

    public synchronized Map<String, Double> currentMb() {
        sample();
        return toMb(last);
    }

    public synchronized void resetPhase() {
        phaseMax.clear();
        sample();
    }

    private static Map<String, Double> toMb(Map<String, Long> kb) {
        Map<String, Double> mb = new LinkedHashMap<>();
        kb.forEach((k, v) -> mb.put(k, v / 1024.0));
        return mb;
    }

    static long vmRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // process gone
        }
        return -1;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
