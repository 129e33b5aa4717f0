package dev.tgregistry.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The env vars each service needs (a {@code ${NAME}} without default in application.properties) are provided by
 * every overlay and by docker-compose.yml (its {@code environment} and {@code env_file}s), and every env var those
 * provide is one the service reads (a typo or a leftover would otherwise be ignored without a word).
 */
class EnvVarsTest {
    static final List<String> OVERLAYS = Overlays.ALL;

    @Test
    void theRequiredVariablesAreFoundInApplicationProperties() throws Exception {
        assertEquals(Set.of("APP_API_KEYS", "APP_CURSOR_KEYS", "DB_PASSWORD"), ServiceConfig.of("user-service").required());
        assertEquals(Set.of("APP_INGEST_SECRET"), ServiceConfig.of("bot-ingest").required());
        assertTrue(ServiceConfig.of("user-service").reads("APP_SEARCH_RECENT_WINDOW"), "property app.search.recent-window");
        assertFalse(ServiceConfig.of("user-service").reads("APP_INGEST_SECRET"), "bot-ingest's, not user-service's");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void eachOverlayProvidesWhatTheServicesNeedAndNothingTheyIgnore(String overlay) throws Exception {
        for (String service : Overlays.SERVICES) {
            Container container = Overlays.one(overlay, Deployment.class, service).getSpec().getTemplate().getSpec()
                    .getContainers().get(0);
            Set<String> provided = new TreeSet<>();
            container.getEnv().stream().map(EnvVar::getName).forEach(provided::add);
            for (EnvFromSource source : container.getEnvFrom()) {
                ConfigMap map = Overlays.one(overlay, ConfigMap.class, source.getConfigMapRef().getName());
                provided.addAll(map.getData().keySet());
            }
            check(overlay, ServiceConfig.of(service), provided);
        }
    }

    @Test
    void dockerComposeProvidesWhatTheServicesNeedAndNothingTheyIgnore() throws Exception {
        for (String service : Overlays.SERVICES) {
            check("docker-compose.yml", ServiceConfig.of(service), new TreeSet<>(ComposeEnv.of(service).keySet()));
        }
    }

    private static void check(String where, ServiceConfig config, Set<String> provided) {
        Set<String> missing = new TreeSet<>(config.required());
        missing.removeAll(provided);
        assertTrue(missing.isEmpty(), where + " does not give " + config.service() + " " + missing);
        List<String> ignored = new ArrayList<>();
        provided.stream().filter(env -> !config.reads(env)).forEach(ignored::add);
        assertTrue(ignored.isEmpty(), where + " gives " + config.service() + " variables it never reads: " + ignored);
    }
}
