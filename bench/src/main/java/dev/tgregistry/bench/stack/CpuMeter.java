package dev.tgregistry.bench.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU time (user + system, from {@code /proc/<pid>/stat}) of named process groups between two snapshots, to see
 * where the machine's cores went during a phase. A group is a supplier of pids evaluated at each snapshot (e.g. the
 * postmaster and its backends); CPU of processes that exited between the snapshots is not counted.
 */
public final class CpuMeter {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private final Map<String, Supplier<List<Long>>> groups = new LinkedHashMap<>();

    public void group(String name, Supplier<List<Long>> pids) {
        groups.put(name, pids);
    }

    /** Key of the whole machine's busy ticks in a snapshot. */
    public static final String MACHINE = "machine";

    /** Per group: summed CPU ticks per pid now; plus {@link #MACHINE}: busy ticks of all CPUs (/proc/stat). */
    public Map<String, Map<Long, Long>> snapshot() {
        Map<String, Map<Long, Long>> s = new LinkedHashMap<>();
        s.put(MACHINE, Map.of(0L, machineBusyTicks()));
        groups.forEach((name, pids) -> {
            Map<Long, Long> perPid = new LinkedHashMap<>();
            for (long pid : pids.get()) {
                long t = ticks(pid);
                if (t >= 0) {
                    perPid.put(pid, t);
                }
            }
            s.put(name, perPid);
        });
        return s;
    }

    /** CPU seconds per group spent between {@code before} and {@code after} (pids new in {@code after} count fully). */
    public static Map<String, Double> seconds(Map<String, Map<Long, Long>> before, Map<String, Map<Long, Long>> after) {
        Map<String, Double> r = new LinkedHashMap<>();
        after.forEach((name, perPid) -> {
            Map<Long, Long> b = before.getOrDefault(name, Map.of());
            long ticks = 0;
            for (Map.Entry<Long, Long> e : perPid.entrySet()) {
                ticks += e.getValue() - b.getOrDefault(e.getKey(), 0L);
            }
            r.put(name, ticks / TICKS_PER_SECOND);
        });
        return r;
    }

    /**
     * Share of all CPUs (0..1) used by processes outside the groups between two snapshots, e.g. someone's build:
     * a figure measured while this is high is not representative.
     */
    public static double othersShare(Map<String, Map<Long, Long>> before, Map<String, Map<Long, Long>> after, double wallSeconds) {
        Map<String, Double> sec = seconds(before, after);
        double machine = sec.getOrDefault(MACHINE, 0.0);
        double groups = 0;
        for (Map.Entry<String, Double> e : sec.entrySet()) {
            if (!e.getKey().equals(MACHINE)) {
                groups += e.getValue();
            }
        }
        return Math.max(0, machine - groups) / (Runtime.getRuntime().availableProcessors() * wallSeconds);
    }

    /** Each group's share of all CPUs over {@code wallSeconds}, "name 1.2 s (30%)" or "name 30%", comma-separated. */
    public static String shares(Map<String, Double> seconds, double wallSeconds, boolean withSeconds) {
        List<String> parts = new ArrayList<>();
        seconds.forEach((group, s) -> {
            if (!group.equals(MACHINE)) {
                double percent = 100 * s / (Runtime.getRuntime().availableProcessors() * wallSeconds);
                parts.add(group + " " + (withSeconds ? String.format(Locale.ROOT, "%.1f s (%.0f%%)", s, percent)
                        : String.format(Locale.ROOT, "%.0f%%", percent)));
            }
        });
        return String.join(", ", parts);
    }

    /** user + nice + system + irq + softirq + steal ticks of all CPUs since boot. */
    static long machineBusyTicks() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0);
            String[] f = first.trim().split("\\s+");
            return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + Long.parseLong(f[8]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is f[0]; utime is field 14 overall -> f[11], stime f[12]
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code pid} and all its live descendants. */
    public static List<Long> withDescendants(long pid) {
        return ProcessHandle.of(pid).map(h -> {
            List<Long> l = new java.util.ArrayList<>();
            l.add(pid);
            h.descendants().forEach(d -> l.add(d.pid()));
            return l;
        }).orElse(List.of());
    }

    /** The postmaster pid from {@code postmaster.pid} in a PGDATA directory, or -1. */
    public static long postmasterPid(Path pgData) {
        try {
            return Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
