package dev.tgregistry.bench.faults;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** --scenarios: a subset runs in the suite's own order; a typo is an error, not a silently empty run. */
class FaultScenariosTest {

    @Test
    void subsetKeepsTheSuitesOrder() {
        assertEquals(List.of("poison", "kill-user-service", "pg-6min"),
                FaultBenchmark.Scenario.parse("pg-6min, poison,kill-user-service"));
    }

    @Test
    void unknownNameIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaultBenchmark.Scenario.parse("poison,pg-5min"));
        assertEquals(true, e.getMessage().contains("pg-5min"));
    }

    @Test
    void everyScenarioIsKnownOnce() {
        assertEquals(FaultBenchmark.Scenario.NAMES, FaultBenchmark.Scenario.parse(String.join(",", FaultBenchmark.Scenario.NAMES)));
    }
}
