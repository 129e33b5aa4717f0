package dev.tgregistry.bench.ingest;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.report.Report;
import dev.tgregistry.bench.stack.CpuMeter;
import dev.tgregistry.bench.stack.OffsetWatch;
import dev.tgregistry.bench.stack.Stack;
import dev.tgregistry.model.Topics;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Scale-out, one user-service instance and then two on more partitions: (j) of bench/README.md's "bench/run ingest". */
final class ScaleOut {
    static final int SECOND_PORT = 8082;

    /** Figures of one instance count. */
    record Run(String kind, int instances, SteadyWorkload.Outcome outcome, long deadlocks, int lost, int renameMismatches, String cpu) {
    }

    private static final long COLD_BASE = 9_200_000_000L;

    private ScaleOut() {
    }

    /** Steady (and cold, when {@code coldCount} > 0) with one instance, then the same with two; in that order. */
    static List<Run> run(IngestBenchmark b, SteadyStream stream, int partitions, int sightings, int coldCount, int logicalRate,
                         List<OffsetWatch.Subscription> subs) throws Exception {
        Bench.log("scale-out: topics to " + partitions + " partitions; restarting bot-ingest and user-service");
        b.offsets.ensurePartitions(partitions, Topics.ALL);
        Stack.stop(b.botIngest, 20);
        Stack.stop(b.userService, 20);
        b.botIngest = b.stack.startBotIngest();
        b.userService = b.stack.startUserService();
        b.stack.awaitReady(b.botIngest, Duration.ofSeconds(180));
        b.stack.awaitReady(b.userService, Duration.ofSeconds(180));
        b.rss.watch("bot-ingest", b.botIngest.pid());
        b.rss.watch("user-service", b.userService.pid());
        List<Run> runs = new java.util.ArrayList<>();
        runs.add(once(b, stream, 1, sightings, logicalRate, subs, false));
        if (coldCount > 0) {
            runs.add(once(b, stream, 1, coldCount, logicalRate, subs, true));
        }
        Stack.Service second = b.stack.startUserService("user-service-2", SECOND_PORT);
        b.stack.awaitReady(second, Duration.ofSeconds(180));
        b.rss.watch("user-service-2", second.pid());
        b.cpu.group("user-service-2", () -> second.process.isAlive() ? List.of(second.pid()) : List.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (b.offsets.assignedMembers(subs.get(0).group()) < 2 && System.nanoTime() < deadline) {
            Bench.sleep(250);
        }
        runs.add(once(b, stream, 2, sightings, logicalRate, subs, false));
        if (coldCount > 0) {
            runs.add(once(b, stream, 2, coldCount, logicalRate, subs, true));
        }
        Stack.stop(second, 20);
        return runs;
    }

    /** The run of that kind and instance count, or null. */
    static Run find(List<Run> runs, String kind, int instances) {
        return runs.stream().filter(r -> r.kind().equals(kind) && r.instances() == instances).findFirst().orElse(null);
    }

    private static Run once(IngestBenchmark b, SteadyStream stream, int instances, int count, int logicalRate,
                            List<OffsetWatch.Subscription> subs, boolean cold) throws Exception {
        long start = Math.max(java.time.Instant.now().getEpochSecond() - count / logicalRate, stream.lastDate() + 1);
        SteadyStream.Sighting[] s = cold ? SteadyStream.cold(b.names, COLD_BASE + 100_000_000L * instances, count,
                java.time.Instant.now().getEpochSecond()) : stream.next(count, start, logicalRate);
        String kind = cold ? "cold" : "steady";
        long[] ids = {b.updateIds};
        List<BodySender.Request> requests = SteadyWorkload.requests(s, b.batch, ids);
        b.updateIds = ids[0];
        long before;
        try (Connection c = b.stack.connect()) {
            before = deadlocks(c);
        }
        var cpuBefore = b.cpu.snapshot();
        SteadyWorkload.Outcome o = SteadyWorkload.run("scale-out, " + kind + ", " + instances + " instance(s)", b.ingest, b.offsets, subs,
                requests, s.length, 0, b.senders);
        String cpu = cpuShares(cpuBefore, b.cpu.snapshot(), o.seconds());
        Bench.log("  CPU during the run: " + cpu);
        try (Connection c = b.stack.connect()) {
            return new Run(kind, instances, o, deadlocks(c) - before, SteadyStream.lostSightings(c, s), stream.mismatchedRenames(c), cpu);
        }
    }

    /** Each group's share of all cores over the run, and the other processes'. */
    private static String cpuShares(Map<String, Map<Long, Long>> before, Map<String, Map<Long, Long>> after, double seconds) {
        double cores = Runtime.getRuntime().availableProcessors() * seconds;
        StringBuilder sb = new StringBuilder();
        CpuMeter.seconds(before, after).forEach((group, sec) -> {
            if (!group.equals(CpuMeter.MACHINE)) {
                sb.append(sb.length() == 0 ? "" : ", ").append(group).append(String.format(Locale.ROOT, " %.0f%%", 100 * sec / cores));
            }
        });
        return sb.append(String.format(Locale.ROOT, ", other processes %.0f%%", 100 * CpuMeter.othersShare(before, after, seconds)))
                .toString();
    }

    private static long deadlocks(Connection c) throws Exception {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void report(Report report, List<Run> runs, int partitions) {
        report.line("").line(String.format(Locale.ROOT, "### (j) Scale-out: steady (and cold) workload on %d partitions, 1 vs 2 user-service"
                + " instances (same PostgreSQL and Kafka)", partitions))
                .table("workload", "instances", "end to end", "HTTP accept", "deadlocks (delta)", "sightings lost", "renames not visible",
                        "CPU share of all cores");
        for (Run r : runs) {
            SteadyWorkload.Outcome o = r.outcome();
            report.row(r.kind(), r.instances(), String.format(Locale.ROOT, "**%,.0f sightings/s** (%.1f s)", o.rate(), o.seconds()),
                    String.format(Locale.ROOT, "%,.0f /s", o.sightings() / o.httpSeconds()), r.deadlocks(), r.lost(), r.renameMismatches(),
                    r.cpu());
        }
    }
}
