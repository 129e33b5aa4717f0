package dev.tgregistry.bench.stack;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The canary's key must land where the producer puts the poison's key. */
class PartitionsTest {

    @Test
    void agreesWithTheProducersOwnPartitioner() {
        for (long id = 9_300_000_000L; id < 9_300_000_500L; id++) {
            byte[] key = Long.toString(id).getBytes(StandardCharsets.UTF_8);
            assertEquals(BuiltInPartitioner.partitionForKey(key, 3), Partitions.of(Long.toString(id), 3), "key " + id);
        }
    }

    @Test
    void userOnFindsTheFirstIdOfThatPartition() {
        for (int p = 0; p < 3; p++) {
            long id = Partitions.userOn(p, 3, 9_300_000_200L);
            assertEquals(p, Partitions.of(Long.toString(id), 3));
            assertTrue(id >= 9_300_000_200L);
            for (long earlier = 9_300_000_200L; earlier < id; earlier++) {
                assertTrue(Partitions.of(Long.toString(earlier), 3) != p, "an earlier id " + earlier + " was on " + p);
            }
        }
    }

    @Test
    void rejectsAPartitionThatDoesNotExist() {
        assertThrows(IllegalArgumentException.class, () -> Partitions.userOn(3, 3, 1));
    }
}
