package dev.tgregistry.bench;

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

    private final ReadyEndpoints<String> service = new ReadyEndpoints<>(List.of("a", "b"));

    @Test
    void nothingIsReadyAtFirst() {
        assertEquals(Optional.empty(), service.pick(null));
    }

    @Test
    void roundRobinOverReadyInstances() {
        service.setReady("a", true, 1);
        service.setReady("b", true, 1);
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            picked.add(service.pick(null).orElseThrow());
        }
        assertEquals(List.of("a", "b", "a", "b"), picked);
    }

    @Test
    void anInstanceThatIsNotReadyGetsNoTraffic() {
        service.setReady("a", true, 1);
        service.setReady("b", true, 1);
        service.setReady("a", false, 2);
        for (int i = 0; i < 3; i++) {
            assertEquals("b", service.pick(null).orElseThrow());
        }
    }

    @Test
    void aRetryAvoidsTheInstanceThatFailed() {
        service.setReady("a", true, 1);
        service.setReady("b", true, 1);
        assertEquals("b", service.pick("a").orElseThrow());
        assertEquals("b", service.pick("a").orElseThrow());
        assertEquals("a", service.pick("b").orElseThrow());
    }

    @Test
    void aRetryGoesBackToTheOnlyReadyInstance() {
        service.setReady("a", true, 1);
        assertEquals("a", service.pick("a").orElseThrow());
        assertEquals(Optional.empty(), new ReadyEndpoints<>(List.of("x", "y")).pick("x"));
    }

    @Test
    void theTimeOfTheLastChangeIsKept() {
        service.setReady("a", true, 10);
        service.setReady("a", true, 20); // no change
        assertTrue(service.isReady("a"));
        assertEquals(10, service.changedAtNanos("a"));
        service.setReady("a", false, 30);
        assertFalse(service.isReady("a"));
        assertEquals(30, service.changedAtNanos("a"));
        assertEquals(0, service.changedAtNanos("b"));
    }

    @Test
    void unknownInstanceIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> service.setReady("c", true, 1));
    }
}
