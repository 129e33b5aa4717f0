package dev.tgregistry.bench;

import dev.tgregistry.model.Topics;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Scale-out: the four record topics raised to {@code partitions} partitions, bot-ingest and user-service restarted
 * so that they see them, then the steady workload with one user-service instance and again with two (the second on
 * 8082 / management 9082, same database and consumer groups, as in the fault suite's rebalance scenario). Reports
 * the aggregate rate of each, the {@code pg_stat_database.deadlocks} delta, sightings acknowledged but not applied
 * ({@code last_seen_at} older than the newest date sent for the user) and the rename check.
 */
final class ScaleOut {
    static final int SECOND_PORT = 8082;

    /** Figures of one instance count. */
    record Run(int instances, SteadyWorkload.Outcome outcome, long deadlocks, int lost, int renameMismatches) {
    }

    private ScaleOut() {
    }

    static List<Run> run(IngestBenchmark b, SteadyStream stream, int partitions, int sightings, int logicalRate,
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
        Run one = once(b, stream, 1, sightings, logicalRate, subs);
        Stack.Service second = b.stack.startUserService("user-service-2", SECOND_PORT);
        b.stack.awaitReady(second, Duration.ofSeconds(180));
        b.rss.watch("user-service-2", second.pid());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (b.offsets.assignedMembers(subs.get(0).group()) < 2 && System.nanoTime() < deadline) {
            Bench.sleep(250);
        }
        Run two = once(b, stream, 2, sightings, logicalRate, subs);
        Stack.stop(second, 20);
        return List.of(one, two);
    }

    private static Run once(IngestBenchmark b, SteadyStream stream, int instances, int count, int logicalRate,
                            List<OffsetWatch.Subscription> subs) throws Exception {
        long start = Math.max(java.time.Instant.now().getEpochSecond() - count / logicalRate, stream.lastDate() + 1);
        SteadyStream.Sighting[] s = stream.next(count, start, logicalRate);
        long[] ids = {b.updateIds};
        List<BodySender.Request> requests = SteadyWorkload.requests(s, b.batch, ids);
        b.updateIds = ids[0];
        long before;
        try (Connection c = b.stack.connect()) {
            before = deadlocks(c);
        }
        SteadyWorkload.Outcome o = SteadyWorkload.run("scale-out, " + instances + " instance(s)", b.ingest, b.offsets, subs,
                requests, s.length, 0, b.senders);
        try (Connection c = b.stack.connect()) {
            return new Run(instances, o, deadlocks(c) - before, SteadyStream.lostSightings(c, s), stream.mismatchedRenames(c));
        }
    }

    private static long deadlocks(Connection c) throws Exception {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void report(Report report, List<Run> runs, int partitions) {
        report.line("").line(String.format(Locale.ROOT, "### (j) Scale-out: steady workload on %d partitions, 1 vs 2 user-service"
                + " instances (same PostgreSQL and Kafka)", partitions))
                .table("instances", "end to end", "HTTP accept", "deadlocks (delta)", "sightings lost", "renames not visible");
        for (Run r : runs) {
            SteadyWorkload.Outcome o = r.outcome();
            report.row(r.instances(), String.format(Locale.ROOT, "**%,.0f sightings/s** (%.1f s)", o.rate(), o.seconds()),
                    String.format(Locale.ROOT, "%,.0f /s", o.sightings() / o.httpSeconds()), r.deadlocks(), r.lost(), r.renameMismatches());
        }
    }
}
