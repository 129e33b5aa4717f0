package dev.tgregistry.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/**
 * The prod overlay is found by a kube-prometheus-stack installed with its default values: its Prometheus selects
 * ServiceMonitors and PrometheusRules labelled {@code release: <Helm release>} in every namespace, its Grafana
 * sidecar takes ConfigMaps labelled {@code grafana_dashboard: "1"} from every namespace; the NetworkPolicies let
 * Prometheus' namespace reach the management port.
 */
class KubePrometheusStackTest {
    /** the chart's default selector, for a release named like the chart (README "Kubernetes" says how to change it) */
    private static final Map<String, String> STOCK_SELECTOR = Map.of("release", "kube-prometheus-stack");

    @Test
    void theStockPrometheusSelectsTheServiceMonitorAndBothRuleSets() {
        ServiceMonitor monitor = Overlays.all(Overlays.PROD, ServiceMonitor.class).findFirst().orElseThrow();
        assertSelected(monitor);
        List<PrometheusRule> rules = Overlays.all(Overlays.PROD, PrometheusRule.class).toList();
        assertEquals(Set.of("tg-registry-alerts", "tg-registry-alerts-more"),
                Set.copyOf(rules.stream().map(rule -> rule.getMetadata().getName()).toList()));
        rules.forEach(KubePrometheusStackTest::assertSelected);
        // no namespaceSelector: the operator looks in the ServiceMonitor's own namespace, where the Services are
        assertNull(monitor.getSpec().getNamespaceSelector());
        for (String service : Overlays.SERVICES) {
            Service svc = Overlays.one(Overlays.PROD, Service.class, service);
            assertTrue(selects(monitor.getSpec().getSelector(), svc.getMetadata().getLabels()),
                    "the ServiceMonitor selects Service " + service);
            String port = monitor.getSpec().getEndpoints().get(0).getPort();
            assertTrue(svc.getSpec().getPorts().stream().anyMatch(p -> port.equals(p.getName())), service + " port " + port);
        }
        ConfigMap dashboard = Overlays.one(Overlays.PROD, ConfigMap.class, "tg-registry-grafana-dashboard");
        assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"));
    }

    private static void assertSelected(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        assertTrue(labels != null && labels.entrySet().containsAll(STOCK_SELECTOR.entrySet()),
                object.getKind() + " " + object.getMetadata().getName() + " lacks " + STOCK_SELECTOR + ": " + labels);
    }

    @Test
    void theReleaseLabelIsSetInOnePlace() throws IOException {
        List<Path> places;
        try (Stream<Path> files = Files.walk(Kustomize.REPO.resolve("k8s"))) {
            places = files.filter(Files::isRegularFile).filter(file -> {
                try {
                    return Files.readAllLines(file).stream().anyMatch(line -> line.strip().startsWith("release:"));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).toList();
        }
        assertEquals(List.of(Kustomize.REPO.resolve("k8s/monitoring/kustomization.yaml")), places);
    }

    @Test
    void theManagementPortAdmitsPrometheusNamespaceByLabelAndNoOtherNamespace() {
        Map<String, String> stock = Map.of("kubernetes.io/metadata.name", "monitoring");
        Map<String, String> labelled = Map.of("kubernetes.io/metadata.name", "observability",
                "tg-registry/scrapes-metrics", "true");
        Map<String, String> other = Map.of("kubernetes.io/metadata.name", "default", "tg-registry/api-client", "true");
        for (String overlay : Overlays.ALL) {
            for (String service : Overlays.SERVICES) {
                NetworkPolicy policy = Overlays.one(overlay, NetworkPolicy.class, service);
                String where = overlay + " " + service;
                assertTrue(admits(policy, stock, "management"), where + ": namespace monitoring");
                assertTrue(admits(policy, labelled, "management"), where + ": a namespace labelled to scrape");
                assertFalse(admits(policy, other, "management"), where + ": any other namespace");
                assertFalse(admits(policy, Map.of(), "management"), where + ": pods of its own namespace");
            }
        }
    }

    @Test
    void theApiIngressAdmitsTheControllersNamespaceByLabelToTheApiPortOnly() {
        Map<String, String> controller = Map.of("kubernetes.io/metadata.name", "traefik",
                "tg-registry/ingress-controller", "true");
        NetworkPolicy policy = Overlays.one(Overlays.PROD_WITH_API_INGRESS, NetworkPolicy.class, "user-service");
        assertTrue(admits(policy, controller, "http"));
        assertFalse(admits(policy, controller, "management"));
        assertFalse(admits(Overlays.one(Overlays.PROD, NetworkPolicy.class, "user-service"), controller, "http"),
                "without the component no controller reaches the API");
    }

    /**
     * Whether a pod in a namespace with {@code namespaceLabels} (empty: the policy's own namespace, pod without
     * labels) may reach {@code port} (a named port) under {@code policy}. Handles matchLabels only, which is all k8s/
     * uses; a selector with matchExpressions fails the test rather than being misread.
     */
    private static boolean admits(NetworkPolicy policy, Map<String, String> namespaceLabels, String port) {
        for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
            boolean portMatches = rule.getPorts() == null || rule.getPorts().isEmpty() || rule.getPorts().stream()
                    .anyMatch(p -> port.equals(p.getPort().getStrVal()));
            if (!portMatches) {
                continue;
            }
            if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
                return true;
            }
            for (NetworkPolicyPeer peer : rule.getFrom()) {
                boolean ownNamespace = namespaceLabels.isEmpty();
                if (peer.getNamespaceSelector() != null && !ownNamespace
                        && selects(peer.getNamespaceSelector(), namespaceLabels)
                        && (peer.getPodSelector() == null || selects(peer.getPodSelector(), Map.of()))) {
                    return true;
                }
                if (peer.getNamespaceSelector() == null && peer.getPodSelector() != null && ownNamespace
                        && selects(peer.getPodSelector(), Map.of())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
            return selector.getMatchExpressions().stream().allMatch(expression -> switch (expression.getOperator()) {
                case "In" -> expression.getValues().contains(labels.get(expression.getKey()));
                case "Exists" -> labels.containsKey(expression.getKey());
                default -> throw new AssertionError("operator not handled: " + expression.getOperator());
            }) && (selector.getMatchLabels() == null || labels.entrySet().containsAll(selector.getMatchLabels().entrySet()));
        }
        return selector.getMatchLabels() == null || labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }
}
