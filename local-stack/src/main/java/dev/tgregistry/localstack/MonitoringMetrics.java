package dev.tgregistry.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The metric selectors ({@code name{labels}}) of the alert rules and dashboards in {@code k8s/monitoring/}, for tests
 * that check every named metric is exported. Each selector of a service's metric must name its service(s) with a
 * {@code service} label ({@code service="x"} or {@code service=~"x|y"}): that is how a test knows which service must
 * export it. The cluster's own metrics of the services' containers (cAdvisor's, kube-state-metrics') are
 * {@link #KUBERNETES_METRICS}: no service exports them, deploy-check checks how they are selected.
 */
public final class MonitoringMetrics {
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^{}]*)}");
    private static final Pattern SERVICE = Pattern.compile("service\\s*(=~?)\\s*\"([^\"]*)\"");

    /** Metrics of the kubelet's cAdvisor and of kube-state-metrics, as a default kube-prometheus-stack scrapes them. */
    public static final Set<String> KUBERNETES_METRICS = Set.of("container_memory_working_set_bytes",
            "kube_pod_container_resource_limits", "kube_pod_container_status_restarts_total");

    /** One metric selector and the file it came from. */
    public record Selector(String metric, Set<String> services, String file) {
        /** A metric of the cluster about the services' containers, not one a service exports. */
        public boolean ofKubernetes() {
            return KUBERNETES_METRICS.contains(metric);
        }
    }

    private MonitoringMetrics() {
    }

    /** {@code k8s/monitoring} found from the working directory (a module directory or the repository root). */
    public static Path directory() {
        for (Path candidate : List.of(Path.of("..", "k8s", "monitoring"), Path.of("k8s", "monitoring"))) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("k8s/monitoring not found from " + Path.of("").toAbsolutePath());
    }

    /** Every selector of every {@code .yaml} / {@code .json} file in {@code dir}. */
    public static List<Selector> selectors(Path dir) {
        List<Selector> selectors = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".json"))
                    .sorted().toList()) {
                if (file.getFileName().toString().equals("kustomization.yaml")) {
                    continue;
                }
                String text = Files.readString(file).replace("\\\"", "\"");
                Matcher selector = SELECTOR.matcher(text);
                while (selector.find()) {
                    selectors.add(new Selector(selector.group(1), services(selector.group(2)), file.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return selectors;
    }

    private static Set<String> services(String labels) {
        Set<String> services = new TreeSet<>();
        Matcher service = SERVICE.matcher(labels);
        while (service.find()) {
            for (String name : service.group(2).split("\\|")) {
                services.add(name.strip());
            }
        }
        return services;
    }

    /** The sample names of a Prometheus text exposition (e.g. {@code registry_batch_write_seconds_count}). */
    public static Set<String> exportedNames(String prometheusText) {
        Set<String> names = new TreeSet<>();
        for (String line : prometheusText.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }
}
