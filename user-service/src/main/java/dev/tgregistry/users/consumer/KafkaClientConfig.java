package dev.tgregistry.users.consumer;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The connection settings the messaging channels use (bootstrap servers, security), narrowed to one client kind. */
public final class KafkaClientConfig {
    private KafkaClientConfig() {
    }

    /** The entries of {@code all} (the {@code default-kafka-broker} map) that a client with {@code names} accepts. */
    public static Map<String, Object> only(Map<String, Object> all, Set<String> names) {
        Map<String, Object> config = new HashMap<>();
        all.forEach((key, value) -> {
            if (names.contains(key)) {
                config.put(key, value);
            }
        });
        return config;
    }
}
