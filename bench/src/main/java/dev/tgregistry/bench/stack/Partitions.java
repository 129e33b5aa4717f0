package dev.tgregistry.bench.stack;

import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;

/**
 * Which partition a keyed record lands on: the producer's default rule for a record with a key and no explicit
 * partition (murmur2 of the key's bytes, made positive, modulo the partition count). bot-ingest's producer and the
 * harness's own producer both use it, so a canary whose key maps to the poison's partition queues behind it.
 */
public final class Partitions {
    private Partitions() {
    }

    public static int of(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The first user id at or above {@code from} whose key (the id in decimal) lands on {@code partition}. */
    public static long userOn(int partition, int partitions, long from) {
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("partition " + partition + " of " + partitions);
        }
        for (long id = from; id < from + 10_000L * partitions; id++) {
            if (of(Long.toString(id), partitions) == partition) {
                return id;
            }
        }
        throw new IllegalStateException("no key for partition " + partition + " near " + from);
    }
}
