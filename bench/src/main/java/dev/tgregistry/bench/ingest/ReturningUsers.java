package dev.tgregistry.bench.ingest;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.stack.Db;
import dev.tgregistry.bench.stack.OffsetWatch;
import dev.tgregistry.bench.stack.Stack;
import dev.tgregistry.model.Topics;
import org.apache.kafka.common.TopicPartition;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ingest benchmark's workloads on the preloaded users, in this order: steady, steady latency, mixed, consumer
 * alone, per-record consumer, ceiling; and their rows in the targets table (figures and ratios).
 */
public final class ReturningUsers {
    private static final long DRAIN_BASE = 9_000_000_000L;
    private static final long CEILING_BASE = 9_100_000_000L;
    private static final int LOGICAL_RATE = 20_000;
    private static final double TARGET_RATE = 20_000;
    private static final double TARGET_STEADY_P99_MS = 500;

    private static final OffsetWatch.Subscription USER_SEEN = new OffsetWatch.Subscription("user-service.user-seen", Topics.USER_SEEN);
    private static final List<OffsetWatch.Subscription> ALL_TOPICS = List.of(USER_SEEN,
            new OffsetWatch.Subscription("user-service.bot-events", Topics.BOT_EVENTS),
            new OffsetWatch.Subscription("user-service.bookings", Topics.BOOKINGS),
            new OffsetWatch.Subscription("user-service.free-lessons", Topics.FREE_LESSONS));

    private final IngestBenchmark b;
    private SteadyStream stream;
    private Map<TopicPartition, Long> steadyStart;
    private SteadyWorkload.Outcome steady;
    private double steadyWalBytes = Double.NaN;
    private SteadyWorkload.Outcome mixed;
    private double steadyP99 = Double.NaN;
    private ConsumerDrain.Outcome drainCold;
    private ConsumerDrain.Outcome drainSteady;
    private double perRecord = Double.NaN;
    private double ceilingCold = Double.NaN;
    private double ceilingSteady = Double.NaN;
    private final List<double[]> ceilingPasses = new ArrayList<>();
    private int ceilingRanges;
    private List<ScaleOut.Run> scaleOut;

    public ReturningUsers(IngestBenchmark bench) {
        this.b = bench;
    }

    void runAll() throws Exception {
        if (!b.workloads.needsPreload()) {
            return;
        }
        prepare();
        if (b.workloads.has("steady")) {
            steady();
        }
        if (b.workloads.has("steady-latency")) {
            b.rss.resetPhase();
            steadyP99 = b.latency(stream);
        }
        if (b.workloads.has("mixed")) {
            mixed();
        }
        if (b.workloads.has("consumer")) {
            consumerAlone();
        }
        if (b.workloads.has("per-record")) {
            perRecord();
        }
        if (b.workloads.has("ceiling")) {
            ceiling();
        }
        if (b.workloads.has("scale-out")) {
            try {
                scaleOut = ScaleOut.run(b, stream, b.partitions, b.scaleOutSightings, b.scaleOutCold, LOGICAL_RATE, List.of(USER_SEEN));
                ScaleOut.report(b.report, scaleOut, b.partitions);
            } catch (Exception | AssertionError e) {
                // the other workloads' figures are worth keeping
                Bench.log("scale-out failed: " + e);
                b.report.line("").line("### (j) Scale-out: FAILED (" + e + "); see the log");
            }
        }
    }

    /** The steady stream over the registry's returning users; before any workload runs. */
    public void prepare() throws Exception {
        try (Connection c = b.stack.connect()) {
            stream = new SteadyStream(SteadyStream.load(c, b.known), b.zipfS, b.changePct / 100, 7);
        }
    }

    private long start(int count) {
        return Math.max(Instant.now().getEpochSecond() - count / LOGICAL_RATE, stream.lastDate() + 1);
    }

    public void steady() throws Exception {
        SteadyStream.Sighting[] s = stream.next(b.steadyCount, start(b.steadyCount), LOGICAL_RATE);
        long[] ids = {b.updateIds};
        List<BodySender.Request> requests = SteadyWorkload.requests(s, b.batch, ids);
        b.updateIds = ids[0];
        steadyStart = b.offsets.endOffsets(Topics.USER_SEEN);
        b.rss.resetPhase();
        long walBefore = Db.walLsnBytes(b.stack);
        steady = SteadyWorkload.run("steady", b.ingest, b.offsets, List.of(USER_SEEN), requests, s.length, 0, b.senders);
        steadyWalBytes = Db.walLsnBytes(b.stack) - walBefore;
        b.report.line("").line(String.format(Locale.ROOT, "### (e) Steady: %,d sightings of %,d returning users (Zipf s = %.2f),"
                        + " %.1f%% renames, %d per request, %d senders", s.length, b.known, b.zipfS, b.changePct, b.batch, b.senders))
                .table("measure", "value");
        try (Connection c = b.stack.connect()) {
            SteadyWorkload.report(b.report, "steady", steady, stream, c);
        }
        b.report.row("max RSS during the phase", rssText());
    }

    private void mixed() throws Exception {
        SteadyStream.Sighting[] s = stream.next(b.mixedCount, start(b.mixedCount), LOGICAL_RATE);
        long[] ids = {b.updateIds};
        List<BodySender.Request> main = SteadyWorkload.requests(s, b.batch, ids);
        b.updateIds = ids[0];
        MixedRequests m = MixedRequests.build("mixed", s, b.batch, 20, 1_000_000L);
        b.rss.resetPhase();
        mixed = SteadyWorkload.run("mixed", b.ingest, b.offsets, ALL_TOPICS, SteadyWorkload.interleave(main, m.requests),
                s.length, m.events + m.bookings + m.registrations, b.senders);
        b.report.line("").line(String.format(Locale.ROOT, "### (f) Mixed: %,d steady sightings + %,d bot events + %,d bookings"
                + " + %,d free-lesson registrations (completion: committed == end offsets on all four topics)", s.length, m.events,
                m.bookings, m.registrations)).table("measure", "value");
        try (Connection c = b.stack.connect()) {
            SteadyWorkload.report(b.report, "mixed", mixed, stream, c);
            long[] stored = m.storedEvents(c);
            b.report.row("mixed: events stored exactly once (by SQL)", String.format(Locale.ROOT, "%,d sent, %,d rows, %,d distinct ids %s",
                    m.events, stored[0], stored[1], stored[0] == m.events && stored[1] == m.events ? "(OK)" : "(**WRONG**)"));
        }
        b.report.row("mixed: events end to end", String.format(Locale.ROOT, "%,.0f events/s", m.events / mixed.seconds()));
        b.report.row("max RSS during the phase", rssText());
    }

    private void consumerAlone() throws Exception {
        b.rss.resetPhase();
        SteadyStream.Sighting[] cold = SteadyStream.cold(b.names, DRAIN_BASE, b.drainCount, Instant.now().getEpochSecond());
        drainCold = ConsumerDrain.run("consumer alone (cold)", b.stack, b.userService, this::restarted, b.offsets, cold, b.updateIds);
        b.updateIds += cold.length;
        SteadyStream.Sighting[] st = stream.next(b.drainCount, start(b.drainCount), LOGICAL_RATE);
        drainSteady = ConsumerDrain.run("consumer alone (steady)", b.stack, b.userService, this::restarted, b.offsets, st, b.updateIds);
        b.updateIds += st.length;
        b.report.line("").line(String.format(Locale.ROOT, "### (g) Consumer alone: %,d records per kind produced straight into %s"
                + " while user-service was stopped, then drained by it (committed == end offsets)", b.drainCount, Topics.USER_SEEN))
                .table("kind", "from ready (upper bound)", "from process start (lower bound)");
        for (ConsumerDrain.Outcome o : List.of(drainCold, drainSteady)) {
            b.report.row(o == drainCold ? "cold (new users)" : "steady (returning users)",
                    String.format(Locale.ROOT, "**%,.0f records/s** (%.1f s)", o.rate(), o.fromReadySeconds()),
                    String.format(Locale.ROOT, "%,.0f records/s (%.1f s)", o.rateFromStart(), o.fromStartSeconds()));
        }
        b.report.row("max RSS during the phase", rssText(), "");
    }

    private void restarted(Stack.Service fresh) {
        b.userService = fresh;
        b.rss.watch("user-service", fresh.pid());
    }

    private void perRecord() throws Exception {
        if (steadyStart == null) {
            steadyStart = b.offsets.endOffsets(Topics.USER_SEEN);
            SteadyStream.Sighting[] s = stream.next(b.perRecordCount, start(b.perRecordCount), LOGICAL_RATE);
            ConsumerDrain.produce(b.stack.bootstrapServers(), s, b.updateIds);
            b.updateIds += s.length;
        }
        try (Connection c = b.stack.connect()) {
            Bench.log("per-record consumer: copying users into " + PerRecordConsumer.TABLE);
            double prep = PerRecordConsumer.prepare(c);
            perRecord = PerRecordConsumer.run(b.stack.bootstrapServers(), c, steadyStart, b.perRecordCount);
            b.report.line("").line(String.format(Locale.ROOT, "### (h) Per-record consumer (emulation of the Quarkus Kafka + Panache"
                    + " quickstart pattern): %,d steady records", b.perRecordCount)).line("")
                    .line("In the benchmark JVM: a KafkaConsumer (own group) from the steady phase's first offsets, one JDBC"
                            + " connection; per record BEGIN, SELECT by id (findById), full-row UPDATE or INSERT (persist), COMMIT;"
                            + " offsets committed once per poll (≤ 500 records). Into `" + PerRecordConsumer.TABLE + "` (LIKE users"
                            + " INCLUDING ALL: same columns and indexes, not the triggers; no name history), a copy of `users` made in "
                            + String.format(Locale.ROOT, "%.0f s.", prep))
                    .table("measure", "value")
                    .row("rate", String.format(Locale.ROOT, "**%,.0f records/s**", perRecord));
        }
    }

    /** The ceiling's variants, once more each time it is called; {@link #ceilingCold()} is the mean of the passes' bests. */
    public void ceiling() throws Exception {
        double bestCold = Double.NaN;
        double bestSteady = Double.NaN;
        b.report.line("").line(String.format(Locale.ROOT, "### (i) Ceiling%s: %,d rows per kind per variant, one JDBC connection,"
                + " straight into `users` + `user_name_history` (user-service's upsert semantics, batches coalesced like"
                + " UserSnapshots, one transaction per batch)", ceilingPasses.isEmpty() ? "" : ", pass " + (ceilingPasses.size() + 1),
                b.ceilingCount)).table("statement", "cold (new users)", "steady (returning users)");
        try (Connection c = b.stack.connect()) {
            for (int[] variant : b.ceilingVariants) {
                CeilingWriter.Method m = CeilingWriter.Method.values()[variant[0]];
                // a range of new ids per variant and pass
                SteadyStream.Sighting[] cold = SteadyStream.cold(b.names, CEILING_BASE + 10_000_000L * ceilingRanges++, b.ceilingCount,
                        Instant.now().getEpochSecond());
                double coldRate = CeilingWriter.write(c, cold, variant[1], m);
                SteadyStream.Sighting[] st = stream.next(b.ceilingCount, start(b.ceilingCount), LOGICAL_RATE);
                double steadyRate = CeilingWriter.write(c, st, variant[1], m);
                Bench.log(String.format(Locale.ROOT, "  ceiling %s: cold %,.0f /s, steady %,.0f /s", CeilingWriter.label(m, variant[1]),
                        coldRate, steadyRate));
                b.report.row(CeilingWriter.label(m, variant[1]), String.format(Locale.ROOT, "%,.0f sightings/s", coldRate),
                        String.format(Locale.ROOT, "%,.0f sightings/s", steadyRate));
                bestCold = Double.isNaN(bestCold) ? coldRate : Math.max(bestCold, coldRate);
                bestSteady = Double.isNaN(bestSteady) ? steadyRate : Math.max(bestSteady, steadyRate);
            }
        }
        ceilingPasses.add(new double[]{bestCold, bestSteady});
        ceilingCold = ceilingPasses.stream().mapToDouble(p -> p[0]).average().orElse(Double.NaN);
        ceilingSteady = ceilingPasses.stream().mapToDouble(p -> p[1]).average().orElse(Double.NaN);
        b.report.row("**best**", String.format(Locale.ROOT, "**%,.0f sightings/s**", bestCold),
                String.format(Locale.ROOT, "**%,.0f sightings/s**", bestSteady));
        if (ceilingPasses.size() > 1) {
            b.report.row("**mean of the passes' bests** (the ceiling used in the ratios)", String.format(Locale.ROOT,
                    "**%,.0f sightings/s**", ceilingCold), String.format(Locale.ROOT, "**%,.0f sightings/s**", ceilingSteady));
        }
        b.report.line("").line("Rates count sightings written, as the end-to-end figures do; a steady batch coalesces repeat"
                + " sightings of its hot users into one row each (user-service's batches are up to 2,000 records).");
    }

    /** Steady end-to-end sightings/s (NaN when not run or incomplete). */
    public double steadyRate() {
        return steady == null ? Double.NaN : steady.rate();
    }

    /** WAL written during the steady phase, bytes (NaN when not run). */
    public double steadyWalBytes() {
        return steadyWalBytes;
    }

    /** Best cold ceiling of the variants run, sightings/s (NaN when not run). */
    public double ceilingCold() {
        return ceilingCold;
    }

    /** Best steady ceiling of the variants run, sightings/s (NaN when not run). */
    public double ceilingSteady() {
        return ceilingSteady;
    }

    private String rssText() {
        Map<String, Double> m = b.rss.phaseMaxMb();
        return "user-service " + Bench.fmt(m.getOrDefault("user-service", Double.NaN)) + " MB, bot-ingest "
                + Bench.fmt(m.getOrDefault("bot-ingest", Double.NaN)) + " MB";
    }

    /** Rows of the targets table: the steady targets, then every figure and ratio side by side. */
    void targets(double cold, List<Boolean> verdicts) {
        if (steady != null) {
            boolean ok = steady.rate() >= TARGET_RATE;
            verdicts.add(ok);
            b.report.row("≥ 20,000 sightings/s end to end, steady", Bench.fmt(steady.rate()) + " /s", Bench.passMiss(ok));
        }
        if (!Double.isNaN(steadyP99)) {
            boolean ok = steadyP99 < TARGET_STEADY_P99_MS;
            verdicts.add(ok);
            b.report.row("event→row p99 < 500 ms at " + String.format(Locale.ROOT, "%,d", b.rate) + "/s, steady (markers)",
                    Bench.fmt(steadyP99) + " ms", Bench.passMiss(ok));
        }
        if (mixed != null) {
            b.report.row("mixed (reported)", String.format(Locale.ROOT, "%,.0f sightings/s + %,.0f other records/s", mixed.rate(),
                    mixed.otherRate()), "-");
        }
        ratio("cold end to end / cold ceiling", cold, ceilingCold);
        ratio("steady end to end / steady ceiling", steady == null ? Double.NaN : steady.rate(), ceilingSteady);
        ratio("steady end to end / per-record consumer (×)", steady == null ? Double.NaN : steady.rate(), perRecord);
        ratio("consumer alone cold / cold ceiling", drainCold == null ? Double.NaN : drainCold.rate(), ceilingCold);
        ratio("consumer alone steady / steady ceiling", drainSteady == null ? Double.NaN : drainSteady.rate(), ceilingSteady);
        if (scaleOut != null) {
            boolean clean = scaleOut.stream().allMatch(r -> r.deadlocks() == 0 && r.lost() == 0 && r.renameMismatches() == 0);
            verdicts.add(clean);
            b.report.row("scale-out (" + b.partitions + " partitions): 0 deadlocks, 0 lost sightings, renames visible",
                    String.join("; ", scaleOut.stream().map(r -> String.format(Locale.ROOT, "%s × %d: deadlocks %d, lost %d, renames wrong %d",
                            r.kind(), r.instances(), r.deadlocks(), r.lost(), r.renameMismatches())).toList()), Bench.passMiss(clean));
            for (String kind : List.of("steady", "cold")) {
                ScaleOut.Run one = ScaleOut.find(scaleOut, kind, 1);
                ScaleOut.Run two = ScaleOut.find(scaleOut, kind, 2);
                if (one != null && two != null) {
                    ratio("scale-out, " + kind + ": 2 instances / 1 instance (×)", two.outcome().rate(), one.outcome().rate());
                }
            }
        }
        ratio("cold end to end / consumer alone cold", cold, drainCold == null ? Double.NaN : drainCold.rate());
        ratio("steady end to end / consumer alone steady", steady == null ? Double.NaN : steady.rate(),
                drainSteady == null ? Double.NaN : drainSteady.rate());
    }

    private void ratio(String what, double ours, double theirs) {
        if (Double.isNaN(ours) || Double.isNaN(theirs)) {
            return;
        }
        b.report.row("ratio: " + what, String.format(Locale.ROOT, "%.2f (%,.0f vs %,.0f /s)", ours / theirs, ours, theirs), "-");
    }
}
