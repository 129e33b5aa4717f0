package dev.tgregistry.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The rendered KafkaTopics match Strimzi's kafka.strimzi.io/v1 schema, and the check rejects what the API server
 * would: the retired v1beta2, an unknown field, a wrong type, a value out of bounds.
 */
class CrdSchemaTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOPIC = """
            {"apiVersion": "kafka.strimzi.io/%s", "kind": "KafkaTopic",
             "metadata": {"name": "t", "namespace": "kafka", "labels": {"strimzi.io/cluster": "c"}},
             "spec": {"topicName": "t", "partitions": %s, "replicas": %s, "config": {"retention.ms": 1, "any.thing": "x"}%s}}""";

    @Test
    void everyRenderedKafkaTopicMatchesStrimzisV1Schema() {
        List<StrictManifests.Manifest> topics = Overlays.rendered(Overlays.KAFKA_TOPICS);
        assertEquals(9, topics.size());
        for (StrictManifests.Manifest topic : topics) {
            assertEquals("kafka.strimzi.io/v1/KafkaTopic", topic.kindKey());
            assertEquals(List.of(), CrdSchema.KAFKA_TOPIC.violations(topic.tree()), topic.name());
        }
    }

    @Test
    void theSchemaCheckRejectsWhatTheApiServerWould() throws Exception {
        assertEquals(List.of(), violations("v1", "6", "3", ""), "valid; config takes any key");
        assertFalse(violations("v1beta2", "6", "3", "").isEmpty(), "Strimzi 1.x serves v1 only");
        assertTrue(violations("v1", "6", "3", ", \"replica\": 3").contains(".spec.replica: unknown field"));
        assertFalse(violations("v1", "\"6\"", "3", "").isEmpty(), "partitions is an integer");
        assertFalse(violations("v1", "0", "3", "").isEmpty(), "partitions minimum 1");
        assertFalse(violations("v1", "6", "40000", "").isEmpty(), "replicas maximum 32767");
        assertThrows(AssertionError.class, () -> StrictManifests.parse(JSON.readTree(
                TOPIC.formatted("v1", "6", "3", ", \"replica\": 3"))));
        assertThrows(AssertionError.class, () -> StrictManifests.parse(JSON.readTree(
                TOPIC.formatted("v1beta2", "6", "3", ""))), "an unknown kind fails the rendering check");
    }

    private static List<String> violations(String version, String partitions, String replicas, String extra) throws Exception {
        JsonNode topic = JSON.readTree(TOPIC.formatted(version, partitions, replicas, extra));
        return CrdSchema.KAFKA_TOPIC.violations(topic);
    }
}
