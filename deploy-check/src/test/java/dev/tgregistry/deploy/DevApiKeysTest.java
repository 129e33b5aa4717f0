package dev.tgregistry.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;

/**
 * The local-development API keys have one definition, {@code k8s/overlays/dev/dev-api-keys.env}: the dev overlay's
 * Secret and docker-compose.yml give user-service exactly its {@code APP_API_KEYS}. (./run-local and user-service's
 * %dev profile: user-service's {@code DevApiKeysTest}.)
 */
class DevApiKeysTest {
    private static final String API_KEYS = "APP_API_KEYS";

    static String defined() throws Exception {
        return ComposeEnv.envFile(Kustomize.REPO.resolve("k8s/overlays/dev/dev-api-keys.env")).get(API_KEYS);
    }

    @Test
    void theDevOverlaysSecretHasTheDefinedKeys() throws Exception {
        Secret secret = Overlays.one(Overlays.DEV, Secret.class, "tg-registry-secrets");
        String encoded = secret.getData().get(API_KEYS).replaceAll("\\s", "");
        assertEquals(defined(), new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
    }

    @Test
    void dockerComposeGivesUserServiceTheDefinedKeys() throws Exception {
        assertEquals(defined(), ComposeEnv.of("user-service").get(API_KEYS));
    }
}
