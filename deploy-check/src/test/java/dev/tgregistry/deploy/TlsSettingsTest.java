package dev.tgregistry.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * Every prod overlay speaks TLS to PostgreSQL with verify-full and SASL_SSL (SCRAM-SHA-512) to Kafka, in the variables
 * docs/OPERATIONS.md ("TLS to PostgreSQL and Kafka") documents (that the services read them, {@link EnvVarsTest}
 * checks): the CA files are mounted from the Secret {@value #CA_SECRET}, the SCRAM credentials come from the Secret
 * tg-registry-secrets and from no ConfigMap, no URL carries an sslmode of its own. dev and docker-compose stay plain.
 */
class TlsSettingsTest {
    static final String CA_SECRET = "tg-registry-ca";
    static final List<String> PRODS = Overlays.ALL.stream().filter(overlay -> overlay.startsWith(Overlays.PROD)).toList();
    private static final Set<String> TLS_VARIABLES = Set.of("DB_SSL_MODE", "DB_SSL_ROOT_CERT", "KAFKA_SECURITY_PROTOCOL",
            "KAFKA_SASL_MECHANISM", "KAFKA_SASL_JAAS_CONFIG", "KAFKA_SSL_TRUSTSTORE_TYPE", "KAFKA_SSL_TRUSTSTORE_LOCATION");

    @ParameterizedTest
    @FieldSource("PRODS")
    void prodReachesPostgresWithVerifyFullAndTheCaFromASecret(String overlay) {
        Map<String, String> env = environment(overlay, "user-service");
        assertEquals("verify-full", env.get("DB_SSL_MODE"), overlay);
        assertFalse(env.get("DB_JDBC_URL").contains("sslmode"), "one place for the mode: " + env.get("DB_JDBC_URL"));
        assertFalse(env.get("DB_REACTIVE_URL").contains("sslmode"), "one place for the mode: " + env.get("DB_REACTIVE_URL"));
        PodSpec pod = pod(overlay, "user-service");
        assertMountedFromSecret(pod, pod.getContainers().get(0), env.get("DB_SSL_ROOT_CERT"), CA_SECRET);
    }

    @ParameterizedTest
    @FieldSource("PRODS")
    void prodReachesKafkaOverSaslSslWithScramAndTheCaFromASecret(String overlay) {
        for (String service : Overlays.SERVICES) {
            Map<String, String> env = environment(overlay, service);
            assertEquals("SASL_SSL", env.get("KAFKA_SECURITY_PROTOCOL"), overlay + " " + service);
            assertEquals("SCRAM-SHA-512", env.get("KAFKA_SASL_MECHANISM"), overlay + " " + service);
            assertEquals("PEM", env.get("KAFKA_SSL_TRUSTSTORE_TYPE"), overlay + " " + service);
            assertTrue(env.get("KAFKA_BOOTSTRAP_SERVERS").endsWith(":9093"), "Strimzi's TLS listener: " + env.get("KAFKA_BOOTSTRAP_SERVERS"));
            PodSpec pod = pod(overlay, service);
            Container container = pod.getContainers().get(0);
            assertMountedFromSecret(pod, container, env.get("KAFKA_SSL_TRUSTSTORE_LOCATION"), CA_SECRET);
            EnvVar jaas = container.getEnv().stream().filter(var -> var.getName().equals("KAFKA_SASL_JAAS_CONFIG"))
                    .findFirst().orElseThrow(() -> new AssertionError(overlay + " " + service + " has no KAFKA_SASL_JAAS_CONFIG"));
            assertNotNull(jaas.getValueFrom(), "the SCRAM password is no literal");
            assertEquals("tg-registry-secrets", jaas.getValueFrom().getSecretKeyRef().getName());
            assertFalse(configMaps(overlay, container).containsKey("KAFKA_SASL_JAAS_CONFIG"), "never in a ConfigMap");
        }
    }

    /**
     * The section's table names exactly these variables, each read by the services it names, with the value the prod
     * overlay gives (the secret one: from tg-registry-secrets).
     */
    @Test
    void theOperationsTableMatchesWhatTheServicesReadAndProdSets() throws Exception {
        String docs = Files.readString(Kustomize.REPO.resolve("docs/OPERATIONS.md"));
        String section = docs.substring(docs.indexOf("## TLS to PostgreSQL and Kafka"));
        section = section.substring(0, section.indexOf("\n## ", 10));
        Matcher row = Pattern.compile("(?m)^\\| `([A-Z_]+)` \\| (user-service|both) \\| ([^|]+) \\|").matcher(section);
        Set<String> documented = new TreeSet<>();
        while (row.find()) {
            String variable = row.group(1);
            documented.add(variable);
            List<String> services = row.group(2).equals("both") ? Overlays.SERVICES : List.of(row.group(2));
            for (String service : services) {
                assertTrue(ServiceConfig.of(service).reads(variable), service + " reads " + variable);
                String value = environment(Overlays.PROD, service).get(variable);
                String shown = row.group(3).trim();
                if (shown.startsWith("from the Secret")) {
                    assertEquals("<secret>", value, variable);
                } else {
                    assertEquals(shown, "`" + value + "`", service + " " + variable + " in prod");
                }
            }
        }
        assertEquals(new TreeSet<>(TLS_VARIABLES), documented);
    }

    @Test
    void devAndDockerComposeStayPlain() throws Exception {
        for (String service : Overlays.SERVICES) {
            Map<String, String> dev = environment(Overlays.DEV, service);
            assertTrue(TLS_VARIABLES.stream().noneMatch(dev::containsKey), "dev " + service + ": " + dev.keySet());
            Map<String, String> compose = ComposeEnv.of(service);
            assertTrue(TLS_VARIABLES.stream().noneMatch(compose::containsKey), "compose " + service + ": " + compose.keySet());
        }
    }

    /** {@code file} lies directly in a read-only mount of a volume made from the Secret {@code secret}. */
    static void assertMountedFromSecret(PodSpec pod, Container container, String file, String secret) {
        assertNotNull(file, "no file configured");
        int slash = file.lastIndexOf('/');
        String directory = file.substring(0, slash);
        VolumeMount mount = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(directory)).findFirst()
                .orElseThrow(() -> new AssertionError(file + " is in no mount of " + container.getName()));
        assertEquals(Boolean.TRUE, mount.getReadOnly(), mount.getName());
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertNotNull(volume.getSecret(), volume.getName() + " is a Secret volume");
        assertEquals(secret, volume.getSecret().getSecretName());
        assertTrue(Set.of("postgres-ca.crt", "kafka-ca.crt").contains(file.substring(slash + 1)),
                "one of the keys docs/OPERATIONS.md tells to create: " + file);
    }

    private static PodSpec pod(String overlay, String service) {
        return Overlays.one(overlay, Deployment.class, service).getSpec().getTemplate().getSpec();
    }

    /** The container's variables: its ConfigMaps' entries, then its own env (literal values, or "<secret>"). */
    private static Map<String, String> environment(String overlay, String service) {
        Container container = pod(overlay, service).getContainers().get(0);
        Map<String, String> env = new TreeMap<>(configMaps(overlay, container));
        for (EnvVar var : container.getEnv()) {
            env.put(var.getName(), var.getValue() != null ? var.getValue() : "<secret>");
        }
        return env;
    }

    private static Map<String, String> configMaps(String overlay, Container container) {
        Map<String, String> data = new TreeMap<>();
        for (EnvFromSource source : container.getEnvFrom()) {
            data.putAll(Overlays.one(overlay, ConfigMap.class, source.getConfigMapRef().getName()).getData());
        }
        return data;
    }
}
