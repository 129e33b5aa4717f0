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
                FaultBenchmark.scenarios("pg-6min, poison,kill-user-service"));
    }

    @Test
    void unknownNameIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaultBenchmark.scenarios("poison,pg-5min"));
        assertEquals(true, e.getMessage().contains("pg-5min"));
    }

    @Test
    void everyScenarioIsKnownOnce() {
        assertEquals(FaultBenchmark.SCENARIOS, FaultBenchmark.scenarios(String.join(",", FaultBenchmark.SCENARIOS)));
    }
}
