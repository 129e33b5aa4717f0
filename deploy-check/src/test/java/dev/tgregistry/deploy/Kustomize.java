package dev.tgregistry.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Renders a kustomization with {@code kubectl kustomize} (kustomize v5 is built into kubectl). Without kubectl the
 * tests are skipped on a developer's machine but fail in CI ({@code CI=true}), where kubectl is part of the image.
 */
final class Kustomize {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private Kustomize() {
    }

    static String render(Path kustomizationDir) throws IOException, InterruptedException {
        Path kubectl = kubectl();
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", kustomizationDir.toString())
                .redirectErrorStream(false)
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("kubectl kustomize " + REPO.relativize(kustomizationDir) + " failed: "
                    + new String(err, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /**
     * A kustomization under target/ that adds {@code components} to {@code overlay} (paths relative to the repo), as
     * if they were listed in the overlay itself: same namespace.
     */
    static Path withComponents(String overlay, String namespace, List<String> components) throws IOException {
        StringBuilder name = new StringBuilder(overlay.replace('/', '-'));
        components.forEach(component -> name.append('+').append(Path.of(component).getFileName()));
        Path dir = REPO.resolve("deploy-check/target/kustomize/" + name);
        Files.createDirectories(dir);
        Path up = dir.relativize(REPO);
        StringBuilder yaml = new StringBuilder("namespace: " + namespace + "\nresources: [" + up.resolve(overlay) + "]\ncomponents:\n");
        components.forEach(component -> yaml.append("  - ").append(up.resolve(component)).append('\n'));
        Files.writeString(dir.resolve("kustomization.yaml"), yaml);
        return dir;
    }

    private static Path kubectl() {
        Optional<Path> found = Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(path -> List.of(path.split(File.pathSeparator)).stream())
                .map(dir -> Path.of(dir, "kubectl"))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("kubectl is not on PATH: CI must render the k8s/ overlays");
            }
            Assumptions.abort("kubectl is not on PATH: k8s/ rendering not checked");
        }
        return found.get();
    }
}
