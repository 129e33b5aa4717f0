package dev.tgregistry.bench.stack;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Completion by offsets: every partition committed up to its end offset. */
class OffsetWatchTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final TopicPartition P2 = new TopicPartition("t", 2);

    @Test
    void caughtUpOnlyWhenEveryPartitionIsCommittedToItsEnd() {
        Map<TopicPartition, Long> end = Map.of(P0, 100L, P1, 50L, P2, 0L);
        assertTrue(OffsetWatch.caughtUp(Map.of(P0, 100L, P1, 50L), end), "an empty partition needs no commit");
        assertFalse(OffsetWatch.caughtUp(Map.of(P0, 100L, P1, 49L), end));
        assertFalse(OffsetWatch.caughtUp(Map.of(P0, 100L), end), "a partition without a commit is not done");
        assertEquals(50, OffsetWatch.lag(Map.of(P0, 100L), end));
        assertEquals(51, OffsetWatch.lag(Map.of(P0, 100L, P1, -1L), Map.of(P0, 100L, P1, 50L)));
    }

    @Test
    void commitsBeyondTheReadEndDoNotHideLagElsewhere() {
        // the end offsets may be read before a later commit: a partition ahead must not offset one behind
        Map<TopicPartition, Long> end = Map.of(P0, 100L, P1, 100L);
        assertEquals(10, OffsetWatch.lag(Map.of(P0, 120L, P1, 90L), end));
        assertFalse(OffsetWatch.caughtUp(Map.of(P0, 120L, P1, 90L), end));
    }

    @Test
    void noPartitionsIsNotCaughtUp() {
        assertFalse(OffsetWatch.caughtUp(Map.of(), Map.of()));
    }
}
