package dev.tgregistry.bench.ingest;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Workload selection and the mixed workload's interleaving of requests. */
class WorkloadsTest {

    @Test
    void scaleOutOnlyWhenAskedFor() {
        Workloads all = Workloads.parse("", "", false);
        assertTrue(all.has("steady") && all.has("ceiling") && all.has("cold"));
        assertFalse(all.has("scale-out"));
        assertTrue(Workloads.parse("", "", true).has("scale-out"));
        assertTrue(Workloads.parse("scale-out", "", false).has("scale-out"));
    }

    @Test
    void onlySkipAndTheOldFlags() {
        Workloads w = Workloads.parse("cold,steady,latency", "latency", false);
        assertTrue(w.has("cold") && w.has("steady"));
        assertFalse(w.has("latency") || w.has("mixed"));
        assertFalse(Workloads.parse("", "cold,baseline", false).has("cold"));
        assertFalse(Workloads.parse("cold,baseline", "", false).needsPreload());
        assertTrue(Workloads.parse("ceiling", "", false).needsPreload());
        assertThrows(IllegalArgumentException.class, () -> Workloads.parse("steddy", "", false));
    }

    @Test
    void interleaveSpreadsTheOtherRequestsEvenly() {
        List<BodySender.Request> main = new ArrayList<>();
        List<BodySender.Request> other = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            main.add(new BodySender.Request("/telegram/updates", new byte[]{(byte) i}));
        }
        for (int i = 0; i < 5; i++) {
            other.add(new BodySender.Request("/bot/events", new byte[]{(byte) i}));
        }
        List<BodySender.Request> out = SteadyWorkload.interleave(main, other);
        assertEquals(15, out.size());
        for (int i = 0; i < 15; i += 3) {
            assertEquals("/telegram/updates", out.get(i).path(), "at " + i);
            assertEquals("/telegram/updates", out.get(i + 1).path(), "at " + (i + 1));
            assertEquals("/bot/events", out.get(i + 2).path(), "at " + (i + 2));
        }
        assertEquals(main, SteadyWorkload.interleave(main, List.of()));
    }
}
