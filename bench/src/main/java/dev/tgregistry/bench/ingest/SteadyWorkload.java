package dev.tgregistry.bench.ingest;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.report.Report;
import dev.tgregistry.bench.stack.OffsetWatch;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Returning users end to end, with other bot-ingest requests interleaved for the mixed workload; completion by
 * Kafka offsets ({@link OffsetWatch}): bench/README.md, "bench/run ingest", (e).
 */
final class SteadyWorkload {

    /** What one run measured. */
    record Outcome(int sightings, int otherRecords, double seconds, double httpSeconds, long failures, long retries,
                   boolean complete) {
        double rate() {
            return complete ? sightings / seconds : Double.NaN;
        }

        double otherRate() {
            return complete ? otherRecords / seconds : Double.NaN;
        }
    }

    private SteadyWorkload() {
    }

    /** The updates of {@code sightings} as requests of {@code batch} updates; advances {@code updateIds[0]}. */
    static List<BodySender.Request> requests(SteadyStream.Sighting[] sightings, int batch, long[] updateIds) {
        List<BodySender.Request> out = new ArrayList<>(sightings.length / batch + 1);
        for (int from = 0; from < sightings.length; from += batch) {
            int to = Math.min(sightings.length, from + batch);
            out.add(new BodySender.Request("/telegram/updates", SteadyStream.body(sightings, from, to, updateIds[0])));
            updateIds[0] += to - from;
        }
        return out;
    }

    /** Interleaves {@code other} into {@code main} evenly (one of {@code other} after every k of {@code main}). */
    static List<BodySender.Request> interleave(List<BodySender.Request> main, List<BodySender.Request> other) {
        if (other.isEmpty()) {
            return main;
        }
        List<BodySender.Request> out = new ArrayList<>(main.size() + other.size());
        double step = (double) main.size() / other.size();
        int o = 0;
        for (int i = 0; i < main.size(); i++) {
            out.add(main.get(i));
            while (o < other.size() && (o + 1) * step <= i + 1) {
                out.add(other.get(o++));
            }
        }
        out.addAll(other.subList(o, other.size()));
        return out;
    }

    static Outcome run(String label, IngestClient ingest, OffsetWatch offsets, List<OffsetWatch.Subscription> subs,
                       List<BodySender.Request> requests, int sightings, int otherRecords, int senders) throws Exception {
        Bench.log(String.format(Locale.ROOT, "%s: %,d requests (%,d sightings, %,d other records), %d senders", label,
                requests.size(), sightings, otherRecords, senders));
        BodySender sender = BodySender.start(ingest, requests, senders);
        long end = offsets.awaitCaughtUp(subs, () -> !sender.done(), 120);
        sender.await();
        double secs = ((end < 0 ? System.nanoTime() : end) - sender.startNanos()) / 1e9;
        double http = (sender.finishedNanos() - sender.startNanos()) / 1e9;
        Outcome o = new Outcome(sightings, otherRecords, secs, http, sender.failures(), sender.retries(), end >= 0);
        Bench.log(String.format(Locale.ROOT, "  %s: %,.0f sightings/s end to end (%.1f s; HTTP done after %.1f s; %d failed requests)",
                label, o.rate(), secs, http, o.failures()));
        return o;
    }

    /** Report rows of a steady run plus the rename check. */
    static void report(Report report, String label, Outcome o, SteadyStream stream, Connection c) throws Exception {
        int mismatched = stream.mismatchedRenames(c);
        report.row(label + ": end to end (first send → committed == end offsets)",
                String.format(Locale.ROOT, "**%,.0f sightings/s**%s (%,d in %.1f s)", o.rate(),
                        o.otherRecords() > 0 ? String.format(Locale.ROOT, " + %,.0f other records/s", o.otherRate()) : "",
                        o.sightings(), o.seconds()));
        report.row(label + ": HTTP accept", String.format(Locale.ROOT, "%,.0f sightings/s (all answered after %.1f s;"
                + " %d failed requests, %d retries)", o.sightings() / o.httpSeconds(), o.httpSeconds(), o.failures(), o.retries()));
        report.row(label + ": renames visible (newest first name and username per renamed user, by SQL)",
                String.format(Locale.ROOT, "%,d renamed users, %d not showing their newest names %s", stream.renamedUsers(),
                        mismatched, mismatched == 0 ? "(OK)" : "(**WRONG**)"));
    }
}
