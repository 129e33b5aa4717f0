package dev.tgregistry.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bot-ingest's relay settings in k8s/: every overlay carries them with relay mode off (an empty target URL; the
 * others bot-ingest's own defaults), and the component webhook-relay turns it on completely: the bot's URL, the bot's
 * secret from the Secret, and egress to the URL's port (bot-ingest's egress is otherwise closed).
 */
class WebhookRelayConfigTest {
    static final List<String> OFF = Overlays.ALL.stream().filter(overlay -> !overlay.equals(Overlays.PROD_WITH_WEBHOOK_RELAY)).toList();

    @ParameterizedTest
    @FieldSource("OFF")
    void relayModeIsOffWithTheServiceDefaults(String overlay) throws Exception {
        Map<String, String> config = Overlays.one(overlay, ConfigMap.class, "bot-ingest-config").getData();
        assertEquals("", config.get("APP_RELAY_TARGET_URL"), overlay + ": relay mode off");
        Map<String, String> defaults = ServiceConfig.of("bot-ingest").defaults();
        for (String setting : List.of("APP_RELAY_TIMEOUT", "APP_RELAY_MAX_CONNECTIONS", "APP_RELAY_SPOOL_MAX_BYTES")) {
            assertEquals(defaults.get(setting), config.get(setting), overlay + ": " + setting);
        }
        assertTrue(botIngest(overlay).getEnv().stream().noneMatch(env -> env.getName().startsWith("APP_RELAY_")), overlay);
    }

    @Test
    void theComponentTurnsItOnWithTheBotsSecretAndEgressToTheBot() {
        String overlay = Overlays.PROD_WITH_WEBHOOK_RELAY;
        URI target = URI.create(Overlays.one(overlay, ConfigMap.class, "bot-ingest-config").getData().get("APP_RELAY_TARGET_URL"));
        assertTrue(List.of("http", "https").contains(target.getScheme()) && target.getHost() != null, target.toString());
        int port = target.getPort() > 0 ? target.getPort() : target.getScheme().equals("https") ? 443 : 80;

        EnvVar secret = botIngest(overlay).getEnv().stream().filter(env -> env.getName().equals("APP_RELAY_TARGET_SECRET"))
                .findFirst().orElseThrow(() -> new AssertionError("no APP_RELAY_TARGET_SECRET"));
        assertEquals("tg-registry-secrets", secret.getValueFrom().getSecretKeyRef().getName());
        assertEquals("APP_RELAY_TARGET_SECRET", secret.getValueFrom().getSecretKeyRef().getKey());

        boolean egress = Overlays.all(overlay, NetworkPolicy.class)
                .filter(policy -> "bot-ingest".equals(policy.getSpec().getPodSelector().getMatchLabels().get("app")))
                .flatMap(policy -> policy.getSpec().getEgress().stream())
                .filter(rule -> rule.getTo().isEmpty())
                .flatMap(rule -> rule.getPorts().stream())
                .anyMatch(rulePort -> rulePort.getPort() != null && rulePort.getPort().getIntVal() != null && rulePort.getPort().getIntVal() == port);
        assertTrue(egress, overlay + ": bot-ingest may not reach the bot's port " + port);
    }

    private static Container botIngest(String overlay) {
        return Overlays.one(overlay, Deployment.class, "bot-ingest").getSpec().getTemplate().getSpec().getContainers().get(0);
    }
}
