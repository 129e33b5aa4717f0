package dev.tgregistry.bench.faults;

import dev.tgregistry.bench.report.Report;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verdicts follow the rows; the table shows what the suite measured. */
class FaultTableTest {

    private static FaultTable.Row poison(String name, int deadLettered, int withReason, int stuck, double canary) {
        return new FaultTable.Row(FaultTable.Kind.POISON, name, 3, 2, 2, 0, 0, 2, deadLettered, withReason, stuck,
                name.contains("future") ? 1 : 0, canary, "n");
    }

    private static FaultTable.Row fault(String name, long lost, long duplicated, double recover) {
        return new FaultTable.Row(FaultTable.Kind.FAULT, name, 100, 100, 100 - lost, lost, duplicated, 0, 0, 0, 0, 0, recover, "");
    }

    @Test
    void everyTargetPassesWhenNothingWentWrong() {
        FaultTable t = new FaultTable();
        t.add(poison("NUL", 1, 1, 0, 0.4));
        t.add(fault("kill", 0, 0, 12));
        List<FaultTable.Verdict> v = t.verdicts();
        assertEquals(6, v.size());
        assertTrue(v.stream().allMatch(FaultTable.Verdict::pass), v.toString());
    }

    @Test
    void eachFailureMissesItsOwnTargetAndNamesTheScenario() {
        FaultTable t = new FaultTable();
        t.add(poison("stuck one", 0, 0, 1, Double.POSITIVE_INFINITY));
        t.add(poison("reasonless", 1, 0, 0, 1.0));
        t.add(fault("slow", 2, 1, 45));
        List<FaultTable.Verdict> v = t.verdicts();
        FaultTable.Verdict lost = v.get(0);
        assertFalse(lost.pass());
        assertTrue(lost.measured().contains("2 lost (slow)"), lost.measured());
        assertFalse(v.get(1).pass());
        FaultTable.Verdict dlq = v.get(2);
        assertFalse(dlq.pass());
        assertTrue(dlq.measured().startsWith("0 of 2") && dlq.measured().contains("stuck one, reasonless"), dlq.measured());
        FaultTable.Verdict canary = v.get(3);
        assertFalse(canary.pass());
        assertTrue(canary.measured().contains("stuck one") && !canary.measured().contains("reasonless"), canary.measured());
        assertTrue(v.get(4).pass(), "no row stored a bad time");
        assertFalse(v.get(5).pass());
    }

    @Test
    void aStoredFutureTimeMissesTheHygieneTarget() {
        FaultTable t = new FaultTable();
        t.add(poison("future seen_at", 0, 0, 0, 0.5));
        FaultTable.Verdict hygiene = t.verdicts().get(4);
        assertFalse(hygiene.pass());
        assertTrue(hygiene.measured().contains("future seen_at"), hygiene.measured());
    }

    @Test
    void recoveryNotMeasuredIsAMiss() {
        assertFalse(fault("x", 0, 0, Double.NaN).recovered());
        assertTrue(fault("x", 0, 0, 30).recovered());
        assertFalse(poison("p", 1, 1, 0, 2.01).recovered());
    }

    @Test
    void tableRowsShowCountsAndCanaryLatency() {
        FaultTable t = new FaultTable();
        t.add(poison("NUL | name", 1, 1, 1, Double.POSITIVE_INFINITY));
        t.add(fault("kill", 3, 0, 7.25));
        Report r = new Report();
        t.writeTo(r);
        String md = r.text();
        assertTrue(md.contains("| scenario | records sent | acknowledged (202) | visible | lost | duplicated effects | dead-lettered | time to recover | notes |"), md);
        assertTrue(md.contains("| NUL | name | 3 | 2 | 2 | 0 | 0 | 1 (1 with reason), 1 stuck | canary never | n |"), md);
        assertTrue(md.contains("| kill | 100 | 100 | 97 | **3** | 0 | 0 | 7.3 s |"), md);
    }
}
