package dev.tgregistry.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The environment docker-compose.yml gives a service: its {@code env_file}s, then its {@code environment} (which wins). */
final class ComposeEnv {
    static final Path FILE = Kustomize.REPO.resolve("docker-compose.yml");

    private ComposeEnv() {
    }

    static Map<String, String> of(String service) throws IOException {
        JsonNode definition = new YAMLMapper().readTree(Files.readString(FILE)).path("services").path(service);
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode envFiles = definition.path("env_file");
        List<JsonNode> files = new ArrayList<>();
        if (envFiles.isArray()) {
            envFiles.forEach(files::add);
        } else if (!envFiles.isMissingNode()) {
            files.add(envFiles);
        }
        for (JsonNode file : files) {
            env.putAll(envFile(FILE.getParent().resolve(file.isTextual() ? file.asText() : file.path("path").asText())));
        }
        JsonNode environment = definition.path("environment");
        if (environment.isArray()) {
            environment.forEach(item -> {
                String[] pair = item.asText().split("=", 2);
                env.put(pair[0], pair.length > 1 ? pair[1] : "");
            });
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> fields = environment.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                env.put(field.getKey(), field.getValue().asText());
            }
        }
        return env;
    }

    /** An env file as Compose and kustomize read it: {@code KEY=VALUE} lines; blank lines and {@code #} comments skipped. */
    static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] pair = trimmed.split("=", 2);
            if (pair.length != 2) {
                throw new AssertionError(Kustomize.REPO.relativize(file) + ": not KEY=VALUE: " + line);
            }
            env.put(pair[0].strip(), pair[1]);
        }
        return env;
    }
}
