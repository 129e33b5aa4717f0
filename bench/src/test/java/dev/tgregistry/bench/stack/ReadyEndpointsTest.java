package dev.tgregistry.bench.stack;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rolling restart's Service: round-robin over ready instances, a retry goes to the other one. */
class ReadyEndpointsTest {

    private final ReadyEndpoints<String> service = new ReadyEndpoints<>(List.of("a", "b"), 1);

    @Test
    void nothingIsReadyAtFirst() {
        assertEquals(Optional.empty(), service.pick(null));
    }

    @Test
    void roundRobinOverReadyInstances() {
        service.probed("a", true, 1);
        service.probed("b", true, 1);
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            picked.add(service.pick(null).orElseThrow());
        }
        assertEquals(List.of("a", "b", "a", "b"), picked);
    }

    @Test
    void anInstanceThatIsNotReadyGetsNoTraffic() {
        service.probed("a", true, 1);
        service.probed("b", true, 1);
        service.probed("a", false, 2);
        for (int i = 0; i < 3; i++) {
            assertEquals("b", service.pick(null).orElseThrow());
        }
    }

    @Test
    void aRetryAvoidsTheInstanceThatFailed() {
        service.probed("a", true, 1);
        service.probed("b", true, 1);
        assertEquals("b", service.pick("a").orElseThrow());
        assertEquals("b", service.pick("a").orElseThrow());
        assertEquals("a", service.pick("b").orElseThrow());
    }

    @Test
    void aRetryGoesBackToTheOnlyReadyInstance() {
        service.probed("a", true, 1);
        assertEquals("a", service.pick("a").orElseThrow());
        assertEquals(Optional.empty(), new ReadyEndpoints<>(List.of("x", "y"), 1).pick("x"));
    }

    @Test
    void theTimeOfTheLastChangeIsKept() {
        service.probed("a", true, 10);
        service.probed("a", true, 20); // no change
        assertTrue(service.isReady("a"));
        assertEquals(10, service.changedAtNanos("a"));
        service.probed("a", false, 30);
        assertFalse(service.isReady("a"));
        assertEquals(30, service.changedAtNanos("a"));
        assertEquals(0, service.changedAtNanos("b"));
    }

    @Test
    void anInstanceLeavesTheRotationOnlyAfterThresholdFailuresInARow() {
        ReadyEndpoints<String> kube = new ReadyEndpoints<>(List.of("a", "b"), 3);
        assertTrue(kube.probed("a", true, 1));
        assertFalse(kube.probed("a", false, 2));
        assertFalse(kube.probed("a", false, 3));
        assertFalse(kube.probed("a", true, 4)); // a success resets the count
        assertFalse(kube.probed("a", false, 5));
        assertFalse(kube.probed("a", false, 6));
        assertTrue(kube.isReady("a"));
        assertTrue(kube.probed("a", false, 7));
        assertFalse(kube.isReady("a"));
        assertEquals(7, kube.changedAtNanos("a"));
        assertFalse(kube.probed("b", false, 8)); // never ready: stays out
        assertEquals(Optional.empty(), kube.pick(null));
    }

    @Test
    void unknownInstanceIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> service.probed("c", true, 1));
    }
}
