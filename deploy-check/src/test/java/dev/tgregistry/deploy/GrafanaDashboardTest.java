package dev.tgregistry.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The Grafana dashboard of k8s/monitoring: every panel's query parses in Prometheus ({@code promtool check rules} on
 * the queries as recording rules, Grafana's variables filled in), the panels issue 24 asks for are there, and every
 * metric a panel names is either one a service exports (selected with a {@code service} label; the services'
 * MonitoringMetricsTest checks each such name against their real /q/metrics) or one of cAdvisor's and
 * kube-state-metrics' about the services' containers.
 */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Kustomize.REPO.resolve("k8s/monitoring/grafana-dashboard.json");
    /** what a default kube-prometheus-stack scrapes about containers (kubelet's cAdvisor, kube-state-metrics) */
    private static final Set<String> KUBERNETES_METRICS = Set.of("container_memory_working_set_bytes",
            "kube_pod_container_resource_limits", "kube_pod_container_status_restarts_total");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^{}]*)}");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"([^\"]*)\"");

    /** A panel's title and its queries (refId -> expr). */
    private record Panel(String title, Map<String, String> queries) {
    }

    @Test
    void everyPanelQueryParsesInPrometheus() throws Exception {
        Tools.Result result = checkRules("parses", expr -> expr);
        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void theCheckFailsOnAQueryThatDoesNotParse() throws Exception {
        // a closing parenthesis lost from every query: each must be refused
        Tools.Result result = checkRules("broken", expr -> expr.substring(0, expr.lastIndexOf(')')));
        assertNotEquals(0, result.exitCode(), result.output());
        for (Panel panel : panels()) {
            assertTrue(result.output().contains(groupName(panel)), "not refused: " + panel.title() + "\n" + result.output());
        }
    }

    @Test
    void thePanelsIssue24AsksForAreThere() throws Exception {
        Map<String, List<String>> wanted = new LinkedHashMap<>();
        wanted.put("Memory (working set) against the limit", List.of("container_memory_working_set_bytes{",
                "kube_pod_container_resource_limits{resource=\"memory\""));
        wanted.put("Container restarts (per 15 min)", List.of("kube_pod_container_status_restarts_total{"));
        wanted.put("PostgreSQL pool (user-service): connections in use, requests waiting, wait",
                List.of("sql_pool_active{service=\"user-service\"", "sql_pool_queue_size{service=\"user-service\"",
                        "sql_pool_queue_delay_seconds_count{service=\"user-service\""));
        wanted.put("Ingest latency (bot-ingest, until Kafka acknowledged)",
                List.of("http_server_requests_seconds_bucket{service=\"bot-ingest\""));
        wanted.put("Kafka producer errors / s", List.of("kafka_producer_record_error_total{service=~\"user-service|bot-ingest\""));
        Map<String, Panel> byTitle = new LinkedHashMap<>();
        panels().forEach(panel -> byTitle.put(panel.title(), panel));
        wanted.forEach((title, selectors) -> {
            Panel panel = byTitle.get(title);
            assertTrue(panel != null, "no panel \"" + title + "\" in " + byTitle.keySet());
            String queries = String.join("\n", panel.queries().values());
            selectors.forEach(selector -> assertTrue(queries.contains(selector), title + " does not query " + selector));
        });
    }

    @Test
    void everyMetricIsAServicesOrTheClustersAboutTheServicesContainers() throws Exception {
        Set<String> containers = new TreeSet<>();
        for (String service : Overlays.SERVICES) {
            Overlays.one(Overlays.PROD, Deployment.class, service).getSpec().getTemplate().getSpec().getContainers()
                    .forEach(container -> containers.add(container.getName()));
        }
        List<String> problems = new ArrayList<>();
        Set<String> kubernetesUsed = new TreeSet<>();
        for (Panel panel : panels()) {
            for (String expr : panel.queries().values()) {
                Matcher selector = SELECTOR.matcher(expr);
                while (selector.find()) {
                    String metric = selector.group(1);
                    Map<String, String> labels = labels(selector.group(2));
                    if (!"$namespace".equals(labels.get("namespace"))) {
                        problems.add(panel.title() + ": " + metric + " not limited to the dashboard's namespace");
                    }
                    if (labels.containsKey("service")) {
                        Set<String> services = Set.of(labels.get("service").split("\\|"));
                        if (!Set.copyOf(Overlays.SERVICES).containsAll(services)) {
                            problems.add(panel.title() + ": " + metric + " of an unknown service " + services);
                        }
                    } else if (KUBERNETES_METRICS.contains(metric)) {
                        kubernetesUsed.add(metric);
                        if (!labels.containsKey("container")
                                || !containers.equals(new TreeSet<>(List.of(labels.get("container").split("\\|"))))) {
                            problems.add(panel.title() + ": " + metric + " must select the containers " + containers);
                        }
                    } else {
                        problems.add(panel.title() + ": " + metric + " is neither a service's (service label) nor "
                                + "one of " + KUBERNETES_METRICS);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(KUBERNETES_METRICS, kubernetesUsed);
    }

    private static Map<String, String> labels(String matchers) {
        Map<String, String> labels = new LinkedHashMap<>();
        Matcher label = LABEL.matcher(matchers);
        while (label.find()) {
            labels.put(label.group(1), label.group(3));
        }
        return labels;
    }

    /**
     * {@code promtool check rules} on a rule file with a group per panel ({@link #groupName}) and a recording rule
     * per query, after {@code change}; Grafana's variables become what Grafana would put there.
     */
    private static Tools.Result checkRules(String name, UnaryOperator<String> change) throws Exception {
        ArrayNode groups = JsonNodeFactory.instance.arrayNode();
        for (Panel panel : panels()) {
            ObjectNode group = groups.addObject();
            group.put("name", groupName(panel));
            ArrayNode rules = group.putArray("rules");
            panel.queries().forEach((refId, expr) -> rules.addObject()
                    .put("record", "dashboard:query_" + refId.toLowerCase())
                    .put("expr", change.apply(grafanaVariables(expr))));
        }
        ObjectNode file = JsonNodeFactory.instance.objectNode();
        file.set("groups", groups);
        Path dir = Kustomize.REPO.resolve("deploy-check/target/dashboard/" + name);
        Files.createDirectories(dir);
        new YAMLMapper().writeValue(dir.resolve("queries.yaml").toFile(), file);
        return Tools.run(dir, Tools.require("promtool", "parse the dashboard's queries (Debian package prometheus)"),
                "check", "rules", "queries.yaml");
    }

    private static String grafanaVariables(String expr) {
        return expr.replace("$__rate_interval", "2m").replace("$namespace", "tg-registry");
    }

    private static String groupName(Panel panel) {
        return "panel " + panel.title();
    }

    private static List<Panel> panels() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<Panel> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            Map<String, String> queries = new LinkedHashMap<>();
            panel.path("targets").forEach(target -> queries.put(target.path("refId").asText(), target.path("expr").asText()));
            assertTrue(!queries.isEmpty(), "a panel without queries: " + panel.path("title").asText());
            panels.add(new Panel(panel.path("title").asText(), queries));
        }
        assertTrue(panels.size() >= 13, "panels: " + panels.size());
        return panels;
    }
}
