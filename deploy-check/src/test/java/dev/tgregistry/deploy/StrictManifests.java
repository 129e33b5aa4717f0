package dev.tgregistry.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/**
 * Parses rendered manifests into the fabric8 Kubernetes model (generated from the Kubernetes OpenAPI schemas)
 * strictly: a field the schema does not have (a typo), a value of the wrong type or an unknown kind fails. The
 * fabric8 classes keep unknown fields in a catch-all map; the introspector below switches that off.
 */
final class StrictManifests {
    private static final Map<String, Class<? extends HasMetadata>> TYPED = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class),
            Map.entry("gateway.networking.k8s.io/v1/HTTPRoute", HTTPRoute.class),
            Map.entry("batch/v1/CronJob", CronJob.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class));
    /** Strimzi's KafkaTopic has no model on the test classpath: it is checked against its CRD's schema. */
    static final String KAFKA_TOPIC = CrdSchema.KAFKA_TOPIC.kindKey();

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .annotationIntrospector(new NoCatchAll())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private StrictManifests() {
    }

    /** A parsed object: its raw tree and, for the kinds in the model, the typed object. */
    record Manifest(String kindKey, String name, JsonNode tree, HasMetadata typed) {
    }

    static List<Manifest> parse(String renderedYaml) throws Exception {
        List<Manifest> manifests = new ArrayList<>();
        try (JsonParser parser = new YAMLFactory().createParser(renderedYaml)) {
            for (JsonNode tree : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (tree == null || tree.isNull() || tree.isEmpty()) {
                    continue;
                }
                manifests.add(parse(tree));
            }
        }
        return manifests;
    }

    static Manifest parse(JsonNode tree) throws Exception {
        String kindKey = tree.path("apiVersion").asText() + "/" + tree.path("kind").asText();
        String name = tree.path("metadata").path("name").asText();
        if (name.isEmpty()) {
            throw new AssertionError(kindKey + " without metadata.name");
        }
        if (KAFKA_TOPIC.equals(kindKey)) {
            List<String> violations = CrdSchema.KAFKA_TOPIC.violations(tree);
            if (!violations.isEmpty()) {
                throw new AssertionError(kindKey + " " + name + " does not match Strimzi's schema: " + violations);
            }
            if (tree.path("metadata").path("labels").path("strimzi.io/cluster").asText().isEmpty()) {
                throw new AssertionError(kindKey + " " + name + " needs the label strimzi.io/cluster");
            }
            return new Manifest(kindKey, name, tree, null);
        }
        Class<? extends HasMetadata> type = TYPED.get(kindKey);
        if (type == null) {
            throw new AssertionError("kind not covered by the schema check: " + kindKey + " " + name);
        }
        try {
            return new Manifest(kindKey, name, tree, STRICT.treeToValue(tree, type));
        } catch (Exception e) {
            throw new AssertionError(kindKey + " " + name + " does not match the Kubernetes schema: "
                    + e.getMessage(), e);
        }
    }

    private static final class NoCatchAll extends JacksonAnnotationIntrospector {
        @Override
        public Boolean hasAnySetter(Annotated annotated) {
            return Boolean.FALSE;
        }
    }
}
