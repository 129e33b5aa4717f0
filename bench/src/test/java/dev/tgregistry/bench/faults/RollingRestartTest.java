package dev.tgregistry.bench.faults;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The rolling scenario's pure parts: the services' shutdown settings, and its targets in the suite's table. */
class RollingRestartTest {

    @Test
    void shutdownSettingsAreReadAsSeconds() {
        assertEquals(5, RollingRestart.seconds("5s"));
        assertEquals(10, RollingRestart.seconds(" 10S "));
        assertEquals(0, RollingRestart.seconds("0"));
        assertThrows(IllegalArgumentException.class, () -> RollingRestart.seconds("PT5S"));
        assertThrows(IllegalArgumentException.class, () -> RollingRestart.seconds("500ms"));
    }

    @Test
    void kubernetesLeavesTheGracePeriodMinusThePreStopPause() {
        String manifest = String.join("\n", "spec:", "  template:", "    spec:", "      terminationGracePeriodSeconds: 45",
                "      containers:", "        - name: x", "          lifecycle:", "            preStop:",
                "              sleep: {seconds: 10}");
        assertEquals(35, RollingRestart.killBudget(manifest));
        assertEquals(30, RollingRestart.killBudget("terminationGracePeriodSeconds: 30\n"));
        assertThrows(IllegalArgumentException.class, () -> RollingRestart.killBudget("kind: Service\n"));
    }

    @Test
    void aScenarioTargetIsListedAfterTheSuitesAndCanMiss() {
        FaultTable table = new FaultTable();
        table.add(new FaultTable.Row(FaultTable.Kind.FAULT, "rolling", 100, 100, 100, 0, 0, 0, 0, 0, 0, 0, 3.0, ""));
        table.addVerdict(new FaultTable.Verdict("rolling restart: 0 non-2xx answers to the reader", "2 of 900", false));
        List<FaultTable.Verdict> verdicts = table.verdicts();
        FaultTable.Verdict last = verdicts.get(verdicts.size() - 1);
        assertEquals("rolling restart: 0 non-2xx answers to the reader", last.target());
        assertFalse(last.pass());
        assertEquals("0 acknowledged-but-lost", verdicts.get(0).target());
    }

    @Test
    void rollingIsAScenarioOfItsOwn() {
        assertEquals(List.of(RollingRestart.NAME), FaultBenchmark.scenarios("rolling"));
    }
}
