package dev.tgregistry.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The alert rules of k8s/monitoring (PrometheusRule objects) load in Prometheus ({@code promtool check rules}) and
 * pass their unit tests ({@code promtool test rules}, test files in src/test/resources/promtool/): every alert fires
 * in a case and stays silent in another, including the client-side lag gauge being NaN or absent. The unit tests run
 * on the rules without annotations (their templates are checked by {@code check rules}), so a test states only the
 * alert's labels. Rules on series the services do not export from their start name only metrics of known sources.
 */
class PrometheusRulesTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path MONITORING = Kustomize.REPO.resolve("k8s/monitoring");
    /** rule file under k8s/monitoring -> the base name its promtool test file loads ({@code <base>.rules.yaml}) */
    private static final Map<String, String> RULE_FILES = Map.of("alerts.yaml", "alerts", "more/alerts.yaml", "more-alerts");
    /** Strimzi's KafkaExporter metrics the broker-side rules use */
    private static final Set<String> KAFKA_EXPORTER = Set.of("kafka_consumergroup_lag", "kafka_consumergroup_current_offset",
            "kafka_topic_partition_current_offset");
    private static final Pattern METRIC = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{");

    @Test
    void theRulesLoadInPrometheus() throws Exception {
        Path dir = prepare("check", (file, groups) -> { });
        for (String base : RULE_FILES.values()) {
            Tools.Result result = Tools.run(dir, promtool(), "check", "rules", base + ".full.yaml");
            assertEquals(0, result.exitCode(), result.output());
        }
    }

    @Test
    void everyAlertPassesItsUnitTests() throws Exception {
        Tools.Result result = promtoolTest(prepare("unit", (file, groups) -> { }));
        assertEquals(0, result.exitCode(), result.output());
        assertFalse(result.output().contains("FAILED"), result.output());
    }

    @Test
    void everyAlertIsTestedFiringAndSilent() throws Exception {
        Set<String> alerts = new TreeSet<>();
        for (String file : RULE_FILES.keySet()) {
            groups(file).forEach(group -> group.path("rules").forEach(rule -> alerts.add(rule.path("alert").asText())));
        }
        Set<String> firing = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (String base : RULE_FILES.values()) {
            JsonNode tests = YAML.readTree(resource(base + ".test.yaml").toFile());
            for (JsonNode test : tests.path("tests")) {
                for (JsonNode check : test.path("alert_rule_test")) {
                    (check.path("exp_alerts").isEmpty() ? silent : firing).add(check.path("alertname").asText());
                }
            }
        }
        assertEquals(alerts, firing, "alerts with a unit test in which they fire");
        assertEquals(alerts, silent, "alerts with a unit test in which they stay silent");
        assertTrue(alerts.containsAll(Set.of("RegistryConsumerNotRunning", "RegistryConsumerStalled",
                "RegistryConsumerGroupStalled", "RegistryDeadLetters", "RegistryDeadLetterTopicGrowing",
                "RegistryAdminEditsNotPublished")), alerts.toString());
    }

    @Test
    void theUnitTestsCatchAStallAlertThatNeedsTheClientLagGauge() throws Exception {
        // the rule before issue 24: silent while the consumer's lag gauge is NaN (partitions paused) or absent
        Tools.Result result = promtoolTest(prepare("client-lag", replaceExpr("RegistryConsumerStalled", """
                max by (namespace, client_id) (kafka_consumer_fetch_manager_records_lag_max{service="user-service"}) > 0
                and on (namespace)
                sum by (namespace) (rate(registry_records_consumed_total{service="user-service"}[10m])) == 0""")));
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("alertname: RegistryConsumerStalled"), result.output());
    }

    @Test
    void theUnitTestsCatchADeadLetterAlertThatMissesAPodsFirstDeadLetter() throws Exception {
        Tools.Result result = promtoolTest(prepare("first-dead-letter", replaceExpr("RegistryDeadLetters",
                "sum by (namespace, topic) (increase(registry_records_dead_lettered_total{service=\"user-service\"}[10m])) > 0")));
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("alertname: RegistryDeadLetters"), result.output());
    }

    @Test
    void rulesOnSeriesTheServicesDoNotExportAtStartNameOnlyMetricsOfKnownSources() throws Exception {
        Set<String> counters = userServiceCounters();
        assertTrue(counters.contains("registry_records_dead_lettered_total"), counters.toString());
        Set<String> unknown = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        groups("more/alerts.yaml").forEach(group -> group.path("rules").forEach(rule -> {
            Matcher metric = METRIC.matcher(rule.path("expr").asText());
            while (metric.find()) {
                String name = metric.group(1);
                used.add(name);
                if (!name.equals("up") && !KAFKA_EXPORTER.contains(name) && !counters.contains(name)) {
                    unknown.add(name);
                }
            }
        }));
        assertEquals(Set.of(), unknown, "neither Prometheus' up, nor KafkaExporter's, nor a counter user-service registers");
        assertTrue(used.containsAll(KAFKA_EXPORTER) && used.contains("up")
                && used.contains("registry_admin_edits_publish_failures_total"), used.toString());
    }

    /** Counters user-service registers with Micrometer ({@code metrics.counter("a.b_c", ...)}), by Prometheus name. */
    private static Set<String> userServiceCounters() throws IOException {
        Pattern counter = Pattern.compile("\\.counter\\(\"([a-z0-9_.]+)\"");
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Kustomize.REPO.resolve("user-service/src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher matcher = counter.matcher(Files.readString(file));
                while (matcher.find()) {
                    names.add(matcher.group(1).replace('.', '_') + "_total");
                }
            }
        }
        return names;
    }

    private static BiConsumer<String, ArrayNode> replaceExpr(String alert, String expr) {
        return (file, groups) -> groups.forEach(group -> group.path("rules").forEach(rule -> {
            if (rule.path("alert").asText().equals(alert)) {
                ((ObjectNode) rule).put("expr", expr);
            }
        }));
    }

    private static Tools.Result promtoolTest(Path dir) throws Exception {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        RULE_FILES.values().stream().sorted().forEach(base -> args.add(base + ".test.yaml"));
        return Tools.run(dir, promtool(), args.toArray(String[]::new));
    }

    private static Path promtool() {
        return Tools.require("promtool", "unit-test the alert rules of k8s/monitoring (Debian package prometheus)");
    }

    /** The spec.groups of a PrometheusRule file under k8s/monitoring. */
    private static ArrayNode groups(String file) throws IOException {
        JsonNode rule = YAML.readTree(MONITORING.resolve(file).toFile());
        assertEquals("PrometheusRule", rule.path("kind").asText(), file);
        return (ArrayNode) rule.path("spec").path("groups").deepCopy();
    }

    /**
     * target/promtool/NAME with each rule file as a Prometheus rule file, whole ({@code <base>.full.yaml}) and without
     * annotations ({@code <base>.rules.yaml}, after {@code change}), and the unit test files.
     */
    private static Path prepare(String name, BiConsumer<String, ArrayNode> change) throws IOException {
        Path dir = Kustomize.REPO.resolve("deploy-check/target/promtool/" + name);
        Files.createDirectories(dir);
        for (Map.Entry<String, String> entry : new LinkedHashMap<>(RULE_FILES).entrySet()) {
            ArrayNode groups = groups(entry.getKey());
            YAML.writeValue(dir.resolve(entry.getValue() + ".full.yaml").toFile(), wrap(groups));
            groups.forEach(group -> group.path("rules").forEach(rule -> ((ObjectNode) rule).remove("annotations")));
            change.accept(entry.getKey(), groups);
            YAML.writeValue(dir.resolve(entry.getValue() + ".rules.yaml").toFile(), wrap(groups));
            Files.copy(resource(entry.getValue() + ".test.yaml"), dir.resolve(entry.getValue() + ".test.yaml"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }

    private static ObjectNode wrap(ArrayNode groups) {
        ObjectNode file = JsonNodeFactory.instance.objectNode();
        file.set("groups", groups);
        return file;
    }

    private static Path resource(String name) {
        return Kustomize.REPO.resolve("deploy-check/src/test/resources/promtool/" + name);
    }
}
