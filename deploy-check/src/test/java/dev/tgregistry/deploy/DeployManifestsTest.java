package dev.tgregistry.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.tgregistry.deploy.StrictManifests.Manifest;
import dev.tgregistry.model.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/**
 * Every overlay renders and each object matches the Kubernetes schema (see {@link StrictManifests}); the pods meet
 * the "restricted" Pod Security Standard, probe the management port, stop within their grace period; the dev overlay
 * is complete on an empty cluster; the topics component declares the topics of {@link Topics}.
 */
class DeployManifestsTest {
    static final List<String> OVERLAYS = Overlays.ALL;
    private static final int MANAGEMENT_PORT = 9000;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyOverlayRendersAndEachObjectMatchesTheKubernetesSchema(String overlay) {
        List<Manifest> manifests = Overlays.rendered(overlay);
        Set<String> kinds = manifests.stream().map(Manifest::kindKey).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(kinds.containsAll(Set.of("v1/Namespace", "apps/v1/Deployment", "v1/Service",
                "policy/v1/PodDisruptionBudget", "autoscaling/v2/HorizontalPodAutoscaler",
                "networking.k8s.io/v1/NetworkPolicy")), overlay + " renders " + kinds);
    }

    @Test
    void theSchemaCheckRejectsAnUnknownFieldAWrongTypeAndAnUnknownKind() throws Exception {
        String good = """
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
                 "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}},
                  "spec": {"containers": [{"name": "c", "image": "i", %s}]}}}}""";
        var json = JsonMapper.builder().build();
        StrictManifests.parse(json.readTree(good.formatted("\"ports\": [{\"containerPort\": 80}]")));
        assertThrows(AssertionError.class, () -> StrictManifests.parse(
                json.readTree(good.formatted("\"imagePullPolcy\": \"Always\""))));
        assertThrows(AssertionError.class, () -> StrictManifests.parse(
                json.readTree(good.formatted("\"ports\": [{\"containerPort\": \"80\"}]"))));
        assertThrows(AssertionError.class, () -> StrictManifests.parse(
                json.readTree("{\"apiVersion\": \"apps/v1\", \"kind\": \"Deploymnet\", \"metadata\": {\"name\": \"x\"}}")));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void podsMeetTheRestrictedPodSecurityStandardWithAWritableTmp(String overlay) {
        for (String service : Overlays.SERVICES) {
            PodSpec pod = Overlays.one(overlay, Deployment.class, service).getSpec().getTemplate().getSpec();
            String where = overlay + " " + service;
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), where + " runAsNonRoot");
            assertTrue(pod.getSecurityContext().getRunAsUser() > 0, where + " numeric non-root user");
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), where);
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), where + " needs no API token");
            for (Container container : pod.getContainers()) {
                var security = container.getSecurityContext();
                assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), where);
                assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), where);
                assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), where);
                String tmpVolume = container.getVolumeMounts().stream()
                        .filter(mount -> mount.getMountPath().equals("/tmp")).findFirst()
                        .orElseThrow(() -> new AssertionError(where + " mounts nothing at /tmp")).getName();
                Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmpVolume)).findFirst()
                        .orElseThrow();
                assertNotNull(volume.getEmptyDir(), where + " /tmp is an emptyDir");
                assertNotNull(container.getResources().getRequests().get("memory"), where + " memory request");
                assertNotNull(container.getResources().getLimits().get("memory"), where + " memory limit");
                assertNotNull(container.getResources().getRequests().get("cpu"), where + " cpu request");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void probesUseTheManagementPortAndItsHealthPaths(String overlay) {
        for (String service : Overlays.SERVICES) {
            Container container = Overlays.one(overlay, Deployment.class, service).getSpec().getTemplate().getSpec()
                    .getContainers().get(0);
            String where = overlay + " " + service;
            assertProbe(container, container.getStartupProbe(), "/q/health/started", where);
            assertProbe(container, container.getReadinessProbe(), "/q/health/ready", where);
            assertProbe(container, container.getLivenessProbe(), "/q/health/live", where);
        }
    }

    private static void assertProbe(Container container, Probe probe, String path, String where) {
        assertNotNull(probe, where + " probe " + path);
        assertEquals(path, probe.getHttpGet().getPath(), where);
        var port = probe.getHttpGet().getPort();
        int number = port.getIntVal() != null ? port.getIntVal()
                : container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                        .map(ContainerPort::getContainerPort).findFirst()
                        .orElseThrow(() -> new AssertionError(where + " probes unknown port " + port.getStrVal()));
        assertEquals(MANAGEMENT_PORT, number, where + " probes " + path + " on the management port");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void aStoppingPodLeavesTheServiceFirstAndFinishesWithinItsGracePeriod(String overlay) {
        for (String service : Overlays.SERVICES) {
            Deployment deployment = Overlays.one(overlay, Deployment.class, service);
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            Container container = pod.getContainers().get(0);
            String where = overlay + " " + service;
            var preStop = container.getLifecycle().getPreStop().getSleep();
            assertNotNull(preStop, where + " pauses before SIGTERM");
            long pause = preStop.getSeconds();
            assertTrue(pause >= 5, where + " preStop pause " + pause + " s");
            Duration shutdownTimeout = Duration.parse("PT" + envValue(overlay, container, "QUARKUS_SHUTDOWN_TIMEOUT"));
            long grace = pod.getTerminationGracePeriodSeconds();
            assertTrue(pause + shutdownTimeout.toSeconds() + 5 <= grace,
                    where + ": preStop " + pause + " s + shutdown timeout " + shutdownTimeout.toSeconds()
                            + " s + 5 s must fit terminationGracePeriodSeconds " + grace);
            assertEquals(0, deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal(),
                    where + " keeps every old pod until its successor is ready");
        }
    }

    private static String envValue(String overlay, Container container, String name) {
        for (EnvVar env : container.getEnv()) {
            if (env.getName().equals(name) && env.getValue() != null) {
                return env.getValue();
            }
        }
        return container.getEnvFrom().stream()
                .filter(source -> source.getConfigMapRef() != null)
                .map(source -> Overlays.one(overlay, ConfigMap.class, source.getConfigMapRef().getName()))
                .map(map -> map.getData().get(name))
                .filter(value -> value != null)
                .findFirst()
                .orElseThrow(() -> new AssertionError(overlay + " " + container.getName() + " has no " + name));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void eachServiceHasADisruptionBudgetANetworkPolicyAndAManagementPort(String overlay) {
        for (String service : Overlays.SERVICES) {
            Map<String, String> podLabels = Overlays.one(overlay, Deployment.class, service).getSpec().getTemplate()
                    .getMetadata().getLabels();
            PodDisruptionBudget pdb = Overlays.one(overlay, PodDisruptionBudget.class, service);
            assertTrue(podLabels.entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()),
                    overlay + " PDB " + service + " selects its pods");
            NetworkPolicy policy = Overlays.one(overlay, NetworkPolicy.class, service);
            assertTrue(podLabels.entrySet().containsAll(policy.getSpec().getPodSelector().getMatchLabels().entrySet()));
            assertEquals(List.of("Ingress", "Egress"), policy.getSpec().getPolicyTypes());
            Service svc = Overlays.one(overlay, Service.class, service);
            assertTrue(svc.getSpec().getPorts().stream().anyMatch(port -> "management".equals(port.getName())
                    && port.getPort() == MANAGEMENT_PORT), overlay + " Service " + service + " has port management");
        }
        HorizontalPodAutoscaler hpa = Overlays.one(overlay, HorizontalPodAutoscaler.class, "bot-ingest");
        assertEquals("bot-ingest", hpa.getSpec().getScaleTargetRef().getName());
        assertEquals("cpu", hpa.getSpec().getMetrics().get(0).getResource().getName());
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everythingLandsInTheNamespaceTheOverlayCreates(String overlay) {
        List<Namespace> namespaces = Overlays.all(overlay, Namespace.class).toList();
        assertEquals(1, namespaces.size(), overlay + " creates its Namespace");
        String namespace = namespaces.get(0).getMetadata().getName();
        assertEquals("restricted", namespaces.get(0).getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"));
        for (Manifest manifest : Overlays.rendered(overlay)) {
            if (!(manifest.typed() instanceof Namespace)) {
                assertEquals(namespace, manifest.tree().path("metadata").path("namespace").asText(),
                        overlay + " " + manifest.kindKey() + " " + manifest.name());
            }
        }
    }

    @Test
    void theDevOverlayNeedsNoCustomResourceDefinitionAndCarriesEverySecretItUses() {
        List<Manifest> dev = Overlays.rendered(Overlays.DEV);
        dev.forEach(manifest -> assertNotNull(manifest.typed(),
                "dev must apply to an empty cluster, so no custom resource: " + manifest.kindKey()));
        for (String service : Overlays.SERVICES) {
            Container container = Overlays.one(Overlays.DEV, Deployment.class, service).getSpec().getTemplate()
                    .getSpec().getContainers().get(0);
            for (EnvVar env : container.getEnv()) {
                if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                    var ref = env.getValueFrom().getSecretKeyRef();
                    Secret secret = Overlays.one(Overlays.DEV, Secret.class, ref.getName());
                    Map<String, String> data = secret.getData() != null ? secret.getData() : secret.getStringData();
                    assertTrue(data.containsKey(ref.getKey()), "dev Secret " + ref.getName() + " has " + ref.getKey());
                }
            }
            for (var source : container.getEnvFrom()) {
                Overlays.one(Overlays.DEV, ConfigMap.class, source.getConfigMapRef().getName());
            }
        }
    }

    @Test
    void prodScrapesTheManagementPortAndExposesOnlyTheWebhookPathsOverTls() {
        ServiceMonitor monitor = Overlays.all(Overlays.PROD, ServiceMonitor.class).findFirst().orElseThrow();
        var endpoint = monitor.getSpec().getEndpoints().get(0);
        assertEquals("management", endpoint.getPort());
        assertEquals("/q/metrics", endpoint.getPath());
        Set<String> selected = new TreeSet<>(monitor.getSpec().getSelector().getMatchExpressions().get(0).getValues());
        assertEquals(new TreeSet<>(Overlays.SERVICES), selected);

        Ingress ingress = Overlays.one(Overlays.PROD, Ingress.class, "bot-ingest");
        assertFalse(ingress.getSpec().getTls().isEmpty(), "the webhook is served over TLS");
        List<HTTPIngressPath> paths = ingress.getSpec().getRules().stream()
                .flatMap(rule -> rule.getHttp().getPaths().stream()).toList();
        assertEquals(Set.of("/telegram", "/bot"), paths.stream().map(HTTPIngressPath::getPath).collect(Collectors.toSet()));
        for (HTTPIngressPath path : paths) {
            assertEquals("bot-ingest", path.getBackend().getService().getName());
            ServicePort port = Overlays.one(Overlays.PROD, Service.class, "bot-ingest").getSpec().getPorts().stream()
                    .filter(p -> p.getName().equals(path.getBackend().getService().getPort().getName())).findFirst()
                    .orElseThrow();
            assertEquals("http", port.getTargetPort().getStrVal(), "the Ingress never reaches the management port");
        }
    }

    @Test
    void theApiIngressIsOptionalAndRoutesOnlyApiToUserServicesHttpPortOverTls() {
        assertTrue(Overlays.named(Overlays.PROD, Ingress.class, "user-service").isEmpty(),
                "prod routes nothing to user-service unless the operator adds the component");
        String overlay = Overlays.PROD_WITH_API_INGRESS;
        Ingress ingress = Overlays.one(overlay, Ingress.class, "user-service");
        assertEquals("user-service-tls", ingress.getSpec().getTls().get(0).getSecretName(), "the API key travels over TLS");
        assertEquals(List.of("users.example.com"), ingress.getSpec().getTls().get(0).getHosts());
        assertEquals("users.example.com", ingress.getSpec().getRules().get(0).getHost());
        List<HTTPIngressPath> paths = ingress.getSpec().getRules().stream()
                .flatMap(rule -> rule.getHttp().getPaths().stream()).toList();
        assertEquals(List.of("/api"), paths.stream().map(HTTPIngressPath::getPath).toList());
        for (HTTPIngressPath path : paths) {
            assertEquals("user-service", path.getBackend().getService().getName());
            ServicePort port = Overlays.one(overlay, Service.class, "user-service").getSpec().getPorts().stream()
                    .filter(p -> p.getName().equals(path.getBackend().getService().getPort().getName())).findFirst()
                    .orElseThrow();
            assertEquals("http", port.getTargetPort().getStrVal(), "the Ingress never reaches the management port");
        }
        assertEquals(List.of(), controllerPorts(Overlays.PROD));
        assertEquals(List.of("http"), controllerPorts(overlay), "the controller may reach the API port, nothing else");
    }

    /** The ports of user-service the namespace ingress-nginx may reach. */
    private static List<String> controllerPorts(String overlay) {
        return Overlays.one(overlay, NetworkPolicy.class, "user-service").getSpec().getIngress().stream()
                .filter(rule -> rule.getFrom() != null && rule.getFrom().stream()
                        .map(peer -> peer.getNamespaceSelector())
                        .anyMatch(namespaces -> namespaces != null && "ingress-nginx".equals(
                                namespaces.getMatchLabels().get("kubernetes.io/metadata.name"))))
                .flatMap(rule -> rule.getPorts().stream()).map(port -> port.getPort().getStrVal()).toList();
    }

    @Test
    void prodShipsNoCorsOrigin() {
        ConfigMap config = Overlays.one(Overlays.PROD, ConfigMap.class, "user-service-config");
        assertEquals("", config.getData().get("APP_CORS_ORIGINS"), "present for the operator to fill in, empty: none");
    }

    @Test
    void theStrimziTopicsDeclareEveryTopicAndItsDeadLetterTopicWithEnoughPartitions() {
        List<JsonNode> topics = Overlays.rendered(Overlays.KAFKA_TOPICS).stream()
                .filter(manifest -> manifest.kindKey().equals(StrictManifests.KAFKA_TOPIC))
                .map(Manifest::tree).toList();
        assertEquals(Overlays.rendered(Overlays.KAFKA_TOPICS).size(), topics.size(), "only KafkaTopics");
        Set<String> expected = new TreeSet<>();
        for (String topic : Topics.ALL) {
            expected.add(topic);
            expected.add(Topics.deadLetterOf(topic));
        }
        expected.add(Topics.ADMIN_EDITS);
        Set<String> declared = topics.stream().map(topic -> topic.path("spec").path("topicName").asText())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, declared);
        int replicas = Overlays.one(Overlays.PROD_WITH_TOPICS, Deployment.class, "user-service").getSpec()
                .getReplicas();
        for (JsonNode topic : topics) {
            JsonNode spec = topic.path("spec");
            assertEquals(2, spec.path("config").path("min.insync.replicas").asInt(), "acks=all needs 2 in sync");
            assertTrue(spec.path("config").path("retention.ms").asLong() > 0);
            if (!spec.path("topicName").asText().endsWith(Topics.DLQ_SUFFIX)) {
                assertTrue(spec.path("partitions").asInt() >= replicas, "user-service replicas " + replicas
                        + " must not exceed the partitions of " + spec.path("topicName").asText());
            }
        }
    }

    /**
     * The Topic Operator watches its Kafka cluster's namespace only: the KafkaTopics land there, labelled with that
     * cluster's name, both taken from the bootstrap address prod gives the services ({@code <cluster>-kafka-bootstrap.
     * <namespace>.svc}); and prod with the topics component no longer lets user-service create topics.
     */
    @Test
    void theStrimziTopicsLandInTheKafkaClustersNamespaceWithItsClusterLabel() {
        String bootstrap = Overlays.one(Overlays.PROD, ConfigMap.class, "user-service-config").getData()
                .get("KAFKA_BOOTSTRAP_SERVERS");
        var address = java.util.regex.Pattern.compile("([a-z0-9-]+)-kafka-bootstrap\\.([a-z0-9-]+)\\.svc(\\.[a-z.]+)?:\\d+")
                .matcher(bootstrap);
        assertTrue(address.matches(), "prod's bootstrap is a Strimzi bootstrap Service: " + bootstrap);
        assertEquals(bootstrap, Overlays.one(Overlays.PROD, ConfigMap.class, "bot-ingest-config").getData()
                .get("KAFKA_BOOTSTRAP_SERVERS"));
        for (Manifest topic : Overlays.rendered(Overlays.KAFKA_TOPICS)) {
            JsonNode metadata = topic.tree().path("metadata");
            assertEquals(address.group(2), metadata.path("namespace").asText(), topic.name() + " namespace");
            assertEquals(address.group(1), metadata.path("labels").path("strimzi.io/cluster").asText(), topic.name());
        }
        assertEquals("false", Overlays.one(Overlays.PROD_WITH_TOPICS, ConfigMap.class, "user-service-config").getData()
                .get("APP_KAFKA_CREATE_TOPICS"));
        assertTrue(Overlays.rendered(Overlays.PROD_WITH_TOPICS).stream()
                .noneMatch(manifest -> manifest.kindKey().equals(StrictManifests.KAFKA_TOPIC)),
                "no KafkaTopic in the registry's namespace, where no Topic Operator watches");
    }

}
