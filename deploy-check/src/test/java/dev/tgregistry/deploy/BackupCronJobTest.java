package dev.tgregistry.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;

/**
 * k8s/examples/backup-cronjob.yaml, applied to an overlay's namespace, reads only configuration that overlay has and
 * passes the "restricted" Pod Security Standard the namespace enforces.
 */
class BackupCronJobTest {
    private static final java.util.Map<String, List<StrictManifests.Manifest>> RENDERED = new ConcurrentHashMap<>();

    /** The overlay and the example together, as {@code kubectl apply -n <namespace> -f} would put them. */
    private static List<StrictManifests.Manifest> withBackup(String overlay) {
        return RENDERED.computeIfAbsent(overlay, key -> {
            try {
                String namespace = Overlays.all(overlay, io.fabric8.kubernetes.api.model.Namespace.class).findFirst()
                        .orElseThrow().getMetadata().getName();
                Path dir = Kustomize.REPO.resolve("deploy-check/target/kustomize/" + overlay.replace('/', '-') + "+backup");
                Files.createDirectories(dir);
                Files.copy(Kustomize.REPO.resolve("k8s/examples/backup-cronjob.yaml"), dir.resolve("backup-cronjob.yaml"),
                        StandardCopyOption.REPLACE_EXISTING);
                Files.writeString(dir.resolve("kustomization.yaml"), "namespace: " + namespace + "\nresources: ["
                        + dir.relativize(Kustomize.REPO.resolve(overlay)) + ", backup-cronjob.yaml]\n");
                return StrictManifests.parse(Kustomize.render(dir));
            } catch (Exception e) {
                throw new AssertionError(overlay + " + backup: " + e.getMessage(), e);
            }
        });
    }

    private static <T> T one(String overlay, Class<T> type, String name) {
        return withBackup(overlay).stream().map(StrictManifests.Manifest::typed).filter(type::isInstance).map(type::cast)
                .filter(item -> ((io.fabric8.kubernetes.api.model.HasMetadata) item).getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(overlay + " + backup has no " + type.getSimpleName() + " " + name));
    }

    @ParameterizedTest
    @ValueSource(strings = {Overlays.DEV, Overlays.PROD})
    void theBackupPodPassesTheRestrictedPodSecurityStandard(String overlay) {
        CronJob job = one(overlay, CronJob.class, "tg-registry-db-backup");
        PodSpec pod = job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertEquals(List.of(), PodSecurity.restrictedViolations(pod));
        one(overlay, PersistentVolumeClaim.class, "tg-registry-backups");
    }

    @ParameterizedTest
    @ValueSource(strings = {Overlays.DEV, Overlays.PROD})
    void theBackupReadsOnlyConfigurationTheOverlayHas(String overlay) {
        Container container = one(overlay, CronJob.class, "tg-registry-db-backup").getSpec().getJobTemplate().getSpec()
                .getTemplate().getSpec().getContainers().get(0);
        // the Secret's keys: those of the dev overlay's Secret, or (prod: from the operator's secret store) those the
        // Deployments read from it, which README lists for `kubectl create secret`
        Set<String> secretKeys = new TreeSet<>();
        Overlays.all(overlay, Secret.class).filter(secret -> secret.getMetadata().getName().equals("tg-registry-secrets"))
                .forEach(secret -> secretKeys.addAll((secret.getData() != null ? secret.getData() : secret.getStringData()).keySet()));
        if (secretKeys.isEmpty()) {
            for (String service : Overlays.SERVICES) {
                Overlays.one(overlay, Deployment.class, service).getSpec().getTemplate().getSpec().getContainers().get(0)
                        .getEnv().stream().filter(env -> env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null)
                        .map(env -> env.getValueFrom().getSecretKeyRef().getKey()).forEach(secretKeys::add);
            }
        }
        for (EnvVar env : container.getEnv()) {
            var from = env.getValueFrom();
            if (from == null) {
                continue;
            }
            if (from.getConfigMapKeyRef() != null) {
                ConfigMap map = Overlays.one(overlay, ConfigMap.class, from.getConfigMapKeyRef().getName());
                assertTrue(map.getData().containsKey(from.getConfigMapKeyRef().getKey())
                                || Boolean.TRUE.equals(from.getConfigMapKeyRef().getOptional()),
                        overlay + ": ConfigMap " + map.getMetadata().getName() + " has no " + from.getConfigMapKeyRef().getKey());
            } else if (from.getSecretKeyRef() != null) {
                assertEquals("tg-registry-secrets", from.getSecretKeyRef().getName());
                assertTrue(secretKeys.contains(from.getSecretKeyRef().getKey()), overlay + ": " + from.getSecretKeyRef().getKey());
            }
        }
        assertEquals(Set.of("DB_URL", "PGUSER", "PGPASSWORD", "PGSSLMODE", "PGSSLROOTCERT"),
                container.getEnv().stream().map(EnvVar::getName).collect(Collectors.toSet()));
        // pg_dump -d takes the URL as a libpq connection URI; TLS comes from PGSSLMODE / PGSSLROOTCERT
        String url = Overlays.one(overlay, ConfigMap.class, "user-service-config").getData().get("DB_REACTIVE_URL");
        assertTrue(url.matches("postgresql://[^/?]+/[A-Za-z0-9_]+"), overlay + ": " + url);
    }

    /** Where the services use TLS to PostgreSQL, the backup does too, with the same mode and the same CA file. */
    @ParameterizedTest
    @ValueSource(strings = {Overlays.DEV, Overlays.PROD})
    void theBackupConnectsWithTheServicesTlsSettings(String overlay) {
        PodSpec pod = one(overlay, CronJob.class, "tg-registry-db-backup").getSpec().getJobTemplate().getSpec()
                .getTemplate().getSpec();
        java.util.Map<String, String> config = Overlays.one(overlay, ConfigMap.class, "user-service-config").getData();
        Container container = pod.getContainers().get(0);
        java.util.Map<String, String> keyOf = container.getEnv().stream().filter(env -> env.getValueFrom() != null
                        && env.getValueFrom().getConfigMapKeyRef() != null)
                .collect(Collectors.toMap(EnvVar::getName, env -> env.getValueFrom().getConfigMapKeyRef().getKey()));
        assertEquals("DB_SSL_MODE", keyOf.get("PGSSLMODE"));
        assertEquals("DB_SSL_ROOT_CERT", keyOf.get("PGSSLROOTCERT"));
        if (overlay.equals(Overlays.PROD)) {
            assertEquals("verify-full", config.get("DB_SSL_MODE"));
            TlsSettingsTest.assertMountedFromSecret(pod, container, config.get("DB_SSL_ROOT_CERT"), "tg-registry-ca");
        } else {
            assertTrue(!config.containsKey("DB_SSL_MODE"), overlay + " stays plain");
        }
    }

    @Test
    void theCheckRefusesWhatAdmissionWould() throws Exception {
        CronJob job = one(Overlays.PROD, CronJob.class, "tg-registry-db-backup");
        PodSpec pod = new io.fabric8.kubernetes.api.model.PodSpecBuilder(
                job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec()).build();
        pod.getSecurityContext().setSeccompProfile(null);
        assertTrue(PodSecurity.restrictedViolations(pod).toString().contains("seccompProfile"));
        pod = new io.fabric8.kubernetes.api.model.PodSpecBuilder(job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec())
                .editFirstContainer().editSecurityContext().withAllowPrivilegeEscalation(null).withNewCapabilities().endCapabilities()
                .endSecurityContext().endContainer().build();
        assertEquals(2, PodSecurity.restrictedViolations(pod).size(), PodSecurity.restrictedViolations(pod).toString());
        pod = new io.fabric8.kubernetes.api.model.PodSpecBuilder(job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec())
                .editSecurityContext().withRunAsNonRoot(null).endSecurityContext()
                .addNewVolume().withName("host").withNewHostPath().withPath("/").endHostPath().endVolume().build();
        assertEquals(2, PodSecurity.restrictedViolations(pod).size(), PodSecurity.restrictedViolations(pod).toString());
        for (String overlay : Overlays.ALL) {
            for (String service : Overlays.SERVICES) {
                assertEquals(List.of(), PodSecurity.restrictedViolations(
                        Overlays.one(overlay, Deployment.class, service).getSpec().getTemplate().getSpec()), overlay + " " + service);
            }
        }
    }
}
