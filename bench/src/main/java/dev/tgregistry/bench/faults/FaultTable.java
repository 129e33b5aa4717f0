package dev.tgregistry.bench.faults;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.report.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The fault suite's result table and its targets. One {@link Row} per scenario; a poison row's "time to recover"
 * is its canary's latency (202 → visible), a fault row's is fault end → probe visible.
 */
final class FaultTable {

    static final double CANARY_TARGET_S = 2;
    static final double RECOVERY_TARGET_S = 30;

    enum Kind { POISON, FAULT }

    /**
     * @param sent            records sent (HTTP records plus records written straight into a topic)
     * @param acknowledged    records in requests answered 202
     * @param visible         acknowledged records whose effect is in the database
     * @param lost            acknowledged records neither visible nor dead-lettered
     * @param duplicated      rows above the expected count (an effect applied twice)
     * @param poisonRecords   poison records that must end up dead-lettered or stored (0 for fault rows)
     * @param deadLettered    records of the scenario found in a {@code .dlq} topic
     * @param withReason      of those, how many carry a non-empty {@code dead-letter-reason} header
     * @param stuck           poison records neither stored nor dead-lettered (a stopped partition)
     * @param badTimes        rows stored with a time before 2013 or more than 5 min in the future
     * @param recoverSeconds  canary latency (poison) or fault end → probe visible (fault); NaN = not measured,
     *                        +Infinity = never within the wait
     */
    record Row(Kind kind, String scenario, long sent, long acknowledged, long visible, long lost, long duplicated,
               int poisonRecords, int deadLettered, int withReason, int stuck, long badTimes, double recoverSeconds,
               String notes) {

        boolean recovered() {
            double target = kind == Kind.POISON ? CANARY_TARGET_S : RECOVERY_TARGET_S;
            return !Double.isNaN(recoverSeconds) && recoverSeconds <= target;
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<Verdict> scenarioVerdicts = new ArrayList<>();

    void add(Row row) {
        rows.add(row);
    }

    /** A scenario's own target (e.g. the rolling restart's), listed after the suite's. */
    void addVerdict(Verdict verdict) {
        scenarioVerdicts.add(verdict);
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    static String seconds(Row r) {
        if (Double.isNaN(r.recoverSeconds())) {
            return "-";
        }
        String prefix = r.kind() == Kind.POISON ? "canary " : "";
        if (Double.isInfinite(r.recoverSeconds())) {
            return prefix + "never";
        }
        return prefix + String.format(Locale.ROOT, "%.1f s", r.recoverSeconds());
    }

    static String deadLettered(Row r) {
        if (r.kind() == Kind.FAULT) {
            return Long.toString(r.deadLettered());
        }
        String s = r.deadLettered() + " (" + r.withReason() + " with reason)";
        return r.stuck() > 0 ? s + ", " + r.stuck() + " stuck" : s;
    }

    /** The Markdown table. */
    void writeTo(Report report) {
        report.table("scenario", "records sent", "acknowledged (202)", "visible", "lost", "duplicated effects",
                "dead-lettered", "time to recover", "notes");
        for (Row r : rows) {
            report.row(r.scenario(), r.sent(), r.acknowledged(), r.visible(), r.lost() == 0 ? "0" : "**" + r.lost() + "**",
                    r.duplicated() == 0 ? "0" : "**" + r.duplicated() + "**", deadLettered(r), seconds(r),
                    r.notes().replace("|", "/").replace("\n", " "));
        }
    }

    /** One target: what it asks, what was measured, and whether it holds. */
    record Verdict(String target, String measured, boolean pass) {
    }

    List<Verdict> verdicts() {
        List<Verdict> v = new ArrayList<>();
        long lost = rows.stream().mapToLong(Row::lost).sum();
        v.add(new Verdict("0 acknowledged-but-lost", lost + " lost" + which(r -> r.lost() > 0), lost == 0));
        long dup = rows.stream().mapToLong(Row::duplicated).sum();
        v.add(new Verdict("0 duplicated effects", dup + " duplicated" + which(r -> r.duplicated() > 0), dup == 0));
        List<Row> poisons = rows.stream().filter(r -> r.kind() == Kind.POISON).toList();
        if (!poisons.isEmpty()) {
            v.add(share("every poison record dead-lettered with its reason (or stored)", poisons, " kinds",
                    r -> r.stuck() > 0 || r.withReason() < r.deadLettered()));
            v.add(share("every canary visible within " + (int) CANARY_TARGET_S + " s", poisons, "", r -> !r.recovered()));
            v.add(share("no time before 2013 or > 5 min ahead stored (issue 9, item 2)", poisons, " kinds", r -> r.badTimes() > 0));
        }
        List<Row> faults = rows.stream().filter(r -> r.kind() == Kind.FAULT).toList();
        if (!faults.isEmpty()) {
            v.add(share("recovery within " + (int) RECOVERY_TARGET_S + " s of the fault ending", faults, "", r -> !r.recovered()));
        }
        v.addAll(scenarioVerdicts);
        return v;
    }

    /** "N of M" rows without {@code bad}, naming the ones with it. */
    private static Verdict share(String target, List<Row> of, String unit, Predicate<Row> bad) {
        List<Row> failing = of.stream().filter(bad).toList();
        return new Verdict(target, (of.size() - failing.size()) + " of " + of.size() + unit + names(failing), failing.isEmpty());
    }

    private String which(Predicate<Row> bad) {
        return names(rows.stream().filter(bad).toList());
    }

    private static String names(List<Row> rows) {
        return rows.isEmpty() ? "" : " (" + String.join(", ", rows.stream().map(Row::scenario).toList()) + ")";
    }

    void writeVerdictsTo(Report report) {
        report.table("target", "measured", "verdict");
        for (Verdict v : verdicts()) {
            report.row(v.target(), v.measured(), Bench.passMiss(v.pass()));
        }
    }
}
