package dev.tgregistry.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * Rollouts are not declared failed while user-service still migrates, the HPA alone sets bot-ingest's replicas,
 * pods spread over zones and nodes, the Ingresses take the cluster's default class, and the Gateway API route is a
 * drop-in for the webhook Ingress.
 */
class RolloutAndRoutingTest {
    static final List<String> OVERLAYS = Overlays.ALL;
    /** Kubernetes' default progressDeadlineSeconds */
    private static final int DEFAULT_DEADLINE = 600;
    /** what a rollout needs beyond the startup probe's budget: image pull, scheduling, the readiness probe */
    private static final int MARGIN = 300;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theProgressDeadlineLiesAboveTheStartupBudget(String overlay) {
        for (String service : Overlays.SERVICES) {
            Deployment deployment = Overlays.one(overlay, Deployment.class, service);
            Probe startup = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getStartupProbe();
            int budget = orZero(startup.getInitialDelaySeconds()) + startup.getPeriodSeconds() * startup.getFailureThreshold();
            if (service.equals("user-service")) {
                assertEquals(1800, budget, "README: the startup probe waits up to 30 minutes for migrations");
            }
            Integer deadline = deployment.getSpec().getProgressDeadlineSeconds();
            int effective = deadline == null ? DEFAULT_DEADLINE : deadline;
            assertTrue(effective >= budget + MARGIN, overlay + " " + service + ": progressDeadlineSeconds " + effective
                    + " must exceed the startup budget " + budget + " s by " + MARGIN + " s");
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void aDeploymentScaledByAnHpaDeclaresNoReplicas(String overlay) {
        List<HorizontalPodAutoscaler> hpas = Overlays.all(overlay, HorizontalPodAutoscaler.class).toList();
        assertTrue(!hpas.isEmpty(), overlay);
        for (HorizontalPodAutoscaler hpa : hpas) {
            Deployment target = Overlays.one(overlay, Deployment.class, hpa.getSpec().getScaleTargetRef().getName());
            assertNull(target.getSpec().getReplicas(), overlay + " " + target.getMetadata().getName()
                    + ": spec.replicas beside the HPA resets its count on every apply");
            assertTrue(hpa.getSpec().getMinReplicas() >= 1);
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void podsSpreadOverZonesAndNodesWithoutBlockingScheduling(String overlay) {
        for (String service : Overlays.SERVICES) {
            var template = Overlays.one(overlay, Deployment.class, service).getSpec().getTemplate();
            Map<String, String> podLabels = template.getMetadata().getLabels();
            List<TopologySpreadConstraint> spread = template.getSpec().getTopologySpreadConstraints();
            assertEquals(Set.of("topology.kubernetes.io/zone", "kubernetes.io/hostname"),
                    spread.stream().map(TopologySpreadConstraint::getTopologyKey).collect(Collectors.toSet()), overlay + " " + service);
            for (TopologySpreadConstraint constraint : spread) {
                assertEquals("ScheduleAnyway", constraint.getWhenUnsatisfiable(), "a full zone must not stop a rollout");
                assertEquals(1, constraint.getMaxSkew());
                assertTrue(podLabels.entrySet().containsAll(constraint.getLabelSelector().getMatchLabels().entrySet()),
                        overlay + " " + service + ": the constraint counts its own pods");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void ingressesTakeTheClustersDefaultClass(String overlay) {
        for (Ingress ingress : Overlays.all(overlay, Ingress.class).toList()) {
            assertNull(ingress.getSpec().getIngressClassName(), overlay + " Ingress " + ingress.getMetadata().getName()
                    + " names a class: the cluster's default IngressClass should take it (README, Ingress class)");
            assertTrue(ingress.getMetadata().getAnnotations() == null
                    || !ingress.getMetadata().getAnnotations().containsKey("kubernetes.io/ingress.class"),
                    "nor by the deprecated annotation");
        }
    }

    @Test
    void theGatewayApiRouteReplacesTheWebhookIngressWithTheSamePaths() {
        String overlay = Overlays.PROD_WITH_GATEWAY_API;
        assertTrue(Overlays.named(overlay, Ingress.class, "bot-ingest").isEmpty(), "the route replaces the Ingress");
        assertTrue(Overlays.named(Overlays.PROD, HTTPRoute.class, "bot-ingest").isEmpty(), "prod keeps the Ingress");
        HTTPRoute route = Overlays.one(overlay, HTTPRoute.class, "bot-ingest");
        assertTrue(!route.getSpec().getParentRefs().isEmpty(), "attached to a Gateway");
        assertNotNull(route.getSpec().getParentRefs().get(0).getName());
        Ingress ingress = Overlays.one(Overlays.PROD, Ingress.class, "bot-ingest");
        assertEquals(List.of(ingress.getSpec().getRules().get(0).getHost()), route.getSpec().getHostnames());
        Set<String> ingressPaths = ingress.getSpec().getRules().get(0).getHttp().getPaths().stream()
                .map(path -> path.getPath()).collect(Collectors.toSet());
        Service service = Overlays.one(overlay, Service.class, "bot-ingest");
        Set<String> routePaths = new java.util.TreeSet<>();
        route.getSpec().getRules().forEach(rule -> {
            for (HTTPRouteMatch match : rule.getMatches()) {
                assertEquals("PathPrefix", match.getPath().getType());
                routePaths.add(match.getPath().getValue());
            }
            for (HTTPBackendRef backend : rule.getBackendRefs()) {
                assertEquals("bot-ingest", backend.getName());
                ServicePort port = service.getSpec().getPorts().stream()
                        .filter(p -> p.getPort().equals(backend.getPort())).findFirst().orElseThrow(
                                () -> new AssertionError("Service bot-ingest has no port " + backend.getPort()));
                assertEquals("http", port.getTargetPort().getStrVal(), "never the management port");
            }
        });
        assertEquals(ingressPaths, routePaths);
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
