package dev.tgregistry.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;

/**
 * The "restricted" Pod Security Standard (Kubernetes' pod-security admission, profile restricted, which includes
 * baseline) as checks of a pod spec: what admission with {@code pod-security.kubernetes.io/enforce: restricted}
 * would refuse. Covers the controls that apply to Linux pods; returns one line per violation.
 */
final class PodSecurity {
    private static final Set<String> RESTRICTED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir",
            "ephemeral", "persistentVolumeClaim", "projected", "secret");
    private static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");

    private PodSecurity() {
    }

    static List<String> restrictedViolations(PodSpec pod) {
        List<String> violations = new ArrayList<>();
        if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                || Boolean.TRUE.equals(pod.getHostIPC())) {
            violations.add("host namespaces");
        }
        PodSecurityContext podContext = pod.getSecurityContext();
        boolean podNonRoot = podContext != null && Boolean.TRUE.equals(podContext.getRunAsNonRoot());
        String podSeccomp = podContext == null || podContext.getSeccompProfile() == null ? null
                : podContext.getSeccompProfile().getType();
        if (podContext != null) {
            if (podContext.getRunAsUser() != null && podContext.getRunAsUser() == 0) {
                violations.add("pod runAsUser 0");
            }
            if (podSeccomp != null && !Set.of("RuntimeDefault", "Localhost").contains(podSeccomp)) {
                violations.add("pod seccompProfile " + podSeccomp);
            }
            if (podContext.getSysctls() != null) {
                podContext.getSysctls().stream().filter(sysctl -> !SAFE_SYSCTLS.contains(sysctl.getName()))
                        .forEach(sysctl -> violations.add("unsafe sysctl " + sysctl.getName()));
            }
            if (podContext.getSeLinuxOptions() != null && (podContext.getSeLinuxOptions().getUser() != null
                    || podContext.getSeLinuxOptions().getRole() != null)) {
                violations.add("pod SELinux user/role");
            }
        }
        for (Volume volume : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
            String type = volumeType(volume);
            if (!RESTRICTED_VOLUMES.contains(type)) {
                violations.add("volume " + volume.getName() + " of type " + type);
            }
        }
        List<Container> containers = Stream.of(pod.getInitContainers(), pod.getContainers())
                .filter(list -> list != null).flatMap(List::stream).toList();
        for (Container container : containers) {
            String name = "container " + container.getName() + ": ";
            SecurityContext context = container.getSecurityContext();
            if (context == null) {
                violations.add(name + "no securityContext (allowPrivilegeEscalation, capabilities)");
                continue;
            }
            if (Boolean.TRUE.equals(context.getPrivileged())) {
                violations.add(name + "privileged");
            }
            if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
                violations.add(name + "allowPrivilegeEscalation not false");
            }
            if (!podNonRoot && !Boolean.TRUE.equals(context.getRunAsNonRoot())) {
                violations.add(name + "runAsNonRoot not true (nor on the pod)");
            }
            if (Boolean.FALSE.equals(context.getRunAsNonRoot())) {
                violations.add(name + "runAsNonRoot false");
            }
            if (context.getRunAsUser() != null && context.getRunAsUser() == 0) {
                violations.add(name + "runAsUser 0");
            }
            String seccomp = context.getSeccompProfile() == null ? null : context.getSeccompProfile().getType();
            if (seccomp != null ? !Set.of("RuntimeDefault", "Localhost").contains(seccomp) : podSeccomp == null) {
                violations.add(name + "seccompProfile " + seccomp + " (pod: " + podSeccomp + ")");
            }
            Capabilities capabilities = context.getCapabilities();
            if (capabilities == null || capabilities.getDrop() == null || !capabilities.getDrop().contains("ALL")) {
                violations.add(name + "capabilities do not drop ALL");
            }
            if (capabilities != null && capabilities.getAdd() != null
                    && !Set.of("NET_BIND_SERVICE").containsAll(capabilities.getAdd())) {
                violations.add(name + "adds capabilities " + capabilities.getAdd());
            }
            if (context.getProcMount() != null && !"Default".equals(context.getProcMount())) {
                violations.add(name + "procMount " + context.getProcMount());
            }
            for (ContainerPort port : container.getPorts() == null ? List.<ContainerPort>of() : container.getPorts()) {
                if (port.getHostPort() != null && port.getHostPort() != 0) {
                    violations.add(name + "hostPort " + port.getHostPort());
                }
            }
        }
        return violations;
    }

    private static String volumeType(Volume volume) {
        if (volume.getConfigMap() != null) return "configMap";
        if (volume.getCsi() != null) return "csi";
        if (volume.getDownwardAPI() != null) return "downwardAPI";
        if (volume.getEmptyDir() != null) return "emptyDir";
        if (volume.getEphemeral() != null) return "ephemeral";
        if (volume.getPersistentVolumeClaim() != null) return "persistentVolumeClaim";
        if (volume.getProjected() != null) return "projected";
        if (volume.getSecret() != null) return "secret";
        if (volume.getHostPath() != null) return "hostPath";
        return "other";
    }
}
