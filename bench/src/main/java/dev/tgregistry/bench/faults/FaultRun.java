package dev.tgregistry.bench.faults;

import dev.tgregistry.bench.report.Ledger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A stream scenario of the fault suite: the load, what it got acknowledged, and the probes sent when the fault ended. */
final class FaultRun implements AutoCloseable {

    final String name;
    final LoadStream stream;
    final List<String> notes = new ArrayList<>();
    long faultEnd;

    private final FaultRig rig;
    private final Ledger ledger = new Ledger();
    private final int dlqBefore;
    private final List<Future<Double>> probes = new ArrayList<>();
    private final ExecutorService probePool = Executors.newCachedThreadPool();
    private final long started = System.nanoTime();

    FaultRun(FaultRig rig, String name, int senders, int updatesPerRequest, int eventsPerRequest, long pauseMs) {
        this.rig = rig;
        this.name = name;
        this.dlqBefore = rig.deadLetters.count();
        long base = rig.nextStreamBase();
        stream = new LoadStream(rig.ingest, ledger, base, 2000, senders, updatesPerRequest, eventsPerRequest, pauseMs,
                "fault-" + name.replaceAll("[^a-z0-9]+", "-") + "-" + rig.streamIndex());
        stream.start();
    }

    /** Marks the end of the fault and sends one probe per partition (default: one) from now on. */
    void faultEnded(int partitionsToProbe) {
        faultEnd = System.nanoTime();
        for (int p = 0; p < partitionsToProbe; p++) {
            long user = rig.nextProbeUser(p, partitionsToProbe == 1 ? 1 : FaultRig.PARTITIONS);
            long start = faultEnd;
            probes.add(probePool.submit(() -> rig.probe(user, start)));
        }
    }

    /** Stops the load, waits for the probes and for every acknowledged record, and adds the row to the table. */
    void finish() throws Exception {
        stream.close();
        double recover = Double.NaN;
        for (Future<Double> f : probes) {
            double s = f.get(LoadStream.GIVE_UP_MS + FaultRig.PROBE_WAIT_MS + 60_000, TimeUnit.MILLISECONDS);
            recover = Double.isNaN(recover) ? s : Math.max(recover, s);
        }
        Ledger.Result result = rig.settle(ledger);
        List<DeadLetterWatch.DeadLetter> letters = rig.deadLetters.since(dlqBefore).stream()
                .filter(d -> d.key() != null && ledger.userKeys().contains(d.key())).toList();
        notes.add(String.format(Locale.ROOT, "stream %.0f records/s over %.0f s", stream.sent() / ((System.nanoTime() - started) / 1e9),
                (System.nanoTime() - started) / 1e9));
        notes.add(stream.summary());
        rig.table.add(new FaultTable.Row(FaultTable.Kind.FAULT, name, stream.sent(), result.acknowledged(), result.visible(),
                Math.max(0, result.missing() - letters.size()), result.duplicated(), 0, letters.size(),
                (int) letters.stream().filter(DeadLetterWatch.DeadLetter::hasReason).count(), 0, 0, recover,
                String.join("; ", notes)));
    }

    @Override
    public void close() {
        probePool.shutdownNow();
    }
}
