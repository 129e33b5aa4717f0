package dev.tgregistry.deploy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import dev.tgregistry.deploy.StrictManifests.Manifest;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** The rendered, strictly parsed overlays; each is rendered once per test JVM. */
final class Overlays {
    static final String DEV = "k8s/overlays/dev";
    static final String PROD = "k8s/overlays/prod";
    /** Strimzi's KafkaTopics: a kustomization of its own, applied to the Kafka cluster's namespace */
    static final String KAFKA_TOPICS = "k8s/kafka-topics";
    /** prod plus the component for topics declared elsewhere (user-service creates none) */
    static final String PROD_WITH_TOPICS = "k8s/overlays/prod+kafka-topics";
    /** prod plus the optional route to user-service's /api */
    static final String PROD_WITH_API_INGRESS = "k8s/overlays/prod+api-ingress";
    /** prod with the webhook routed by the Gateway API instead of the Ingress */
    static final String PROD_WITH_GATEWAY_API = "k8s/overlays/prod+gateway-api";
    /** prod with bot-ingest in webhook relay mode */
    static final String PROD_WITH_WEBHOOK_RELAY = "k8s/overlays/prod+webhook-relay";
    static final List<String> ALL = List.of(DEV, PROD, PROD_WITH_TOPICS, PROD_WITH_API_INGRESS, PROD_WITH_GATEWAY_API,
            PROD_WITH_WEBHOOK_RELAY);
    static final List<String> SERVICES = List.of("user-service", "bot-ingest");

    private static final Map<String, List<Manifest>> RENDERED = new ConcurrentHashMap<>();

    private Overlays() {
    }

    static List<Manifest> rendered(String overlay) {
        return RENDERED.computeIfAbsent(overlay, key -> {
            try {
                int plus = key.indexOf('+');
                var dir = plus < 0 ? Kustomize.REPO.resolve(key)
                        : Kustomize.withComponents(key.substring(0, plus), "tg-registry",
                                List.of("k8s/components/" + key.substring(plus + 1)));
                return StrictManifests.parse(Kustomize.render(dir));
            } catch (Exception e) {
                throw new AssertionError(key + ": " + e.getMessage(), e);
            }
        });
    }

    static <T extends HasMetadata> Stream<T> all(String overlay, Class<T> type) {
        return rendered(overlay).stream()
                .map(Manifest::typed)
                .filter(type::isInstance)
                .map(type::cast);
    }

    static <T extends HasMetadata> Optional<T> named(String overlay, Class<T> type, String name) {
        return all(overlay, type).filter(item -> item.getMetadata().getName().equals(name)).findFirst();
    }

    static <T extends HasMetadata> T one(String overlay, Class<T> type, String name) {
        return named(overlay, type, name).orElseThrow(
                () -> new AssertionError(overlay + " has no " + type.getSimpleName() + " " + name));
    }
}
