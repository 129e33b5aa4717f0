package dev.tgregistry.deploy;

import java.util.Iterator;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** The part of Strimzi's KafkaTopic schema the kafka-topics component uses, checked as strictly as the rest. */
final class KafkaTopicSpec {
    private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");
    private static final Set<String> SPEC = Set.of("topicName", "partitions", "replicas", "config");

    private KafkaTopicSpec() {
    }

    static void check(JsonNode topic) {
        String name = topic.path("metadata").path("name").asText();
        onlyFields(topic, TOP, name);
        JsonNode spec = topic.path("spec");
        onlyFields(spec, SPEC, name + ".spec");
        if (!spec.path("partitions").isInt() || spec.path("partitions").asInt() < 1
                || !spec.path("replicas").isInt() || spec.path("replicas").asInt() < 1) {
            throw new AssertionError("KafkaTopic " + name + ": partitions and replicas must be positive integers");
        }
        if (!spec.path("config").isObject()) {
            throw new AssertionError("KafkaTopic " + name + ": spec.config must be a map");
        }
        if (topic.path("metadata").path("labels").path("strimzi.io/cluster").asText().isEmpty()) {
            throw new AssertionError("KafkaTopic " + name + " needs the label strimzi.io/cluster");
        }
    }

    private static void onlyFields(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String field = names.next();
            if (!allowed.contains(field)) {
                throw new AssertionError("KafkaTopic " + where + ": unknown field " + field);
            }
        }
    }
}
