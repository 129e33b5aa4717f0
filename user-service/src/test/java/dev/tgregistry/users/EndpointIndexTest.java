package dev.tgregistry.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/ENDPOINTS.md, the map from each endpoint of both services to the class that serves it, is what the committed
 * OpenAPI documents and the sources say: every operation of the documents, by its {@code operationId}, to the one
 * source file whose {@code @Operation} declares that id. Regenerate after changing routes with
 * {@code -Dtest=EndpointIndexTest -Dendpoints.update=true}.
 */
class EndpointIndexTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path INDEX = REPO.resolve("docs/ENDPOINTS.md");
    private static final List<String> SERVICES = List.of("user-service", "bot-ingest");
    private static final Pattern OPERATION_ID = Pattern.compile("@Operation\\(\\s*operationId\\s*=\\s*\"([^\"]+)\"");

    @Test
    void theIndexIsWhatTheDocumentsAndSourcesSay() throws IOException {
        StringBuilder index = new StringBuilder("""
                # Endpoints

                Which class serves each endpoint, by service, generated from the committed OpenAPI documents
                (`docs/openapi/*.yaml`) and the sources (the class whose `@Operation` declares the `operationId`) by
                `EndpointIndexTest`, which fails when this file differs. Regenerate after changing routes:
                `./mvnw -B -o -pl user-service -am verify -DskipITs -Dtest=EndpointIndexTest -Dsurefire.failIfNoSpecifiedTests=false -Dendpoints.update=true`.
                """);
        for (String service : SERVICES) {
            Map<String, Path> classes = operationClasses(service);
            index.append("\n## ").append(service).append("\n\n| method | path | operationId | class |\n|---|---|---|---|\n");
            for (Operation operation : operations(service)) {
                Path source = classes.remove(operation.id());
                assertTrue(source != null, service + ": no @Operation declares " + operation.id());
                String name = source.getFileName().toString().replace(".java", "");
                index.append("| ").append(operation.method()).append(" | `").append(operation.path()).append("` | ")
                        .append(operation.id()).append(" | [").append(name).append("](../")
                        .append(REPO.relativize(source).toString().replace('\\', '/')).append(") |\n");
            }
            assertEquals(Map.of(), classes, service + ": operations declared in the sources but not in the document");
        }
        if (Boolean.getBoolean("endpoints.update")) {
            Files.writeString(INDEX, index, StandardCharsets.UTF_8);
        }
        assertEquals(index.toString(), Files.exists(INDEX) ? Files.readString(INDEX, StandardCharsets.UTF_8) : "",
                "docs/ENDPOINTS.md is out of date: regenerate it (see this test's comment)");
    }

    private record Operation(String method, String path, String id) {
    }

    /** The document's operations, by path and then method as the document lists them. */
    private static List<Operation> operations(String service) throws IOException {
        JsonNode paths = new ObjectMapper(new YAMLFactory()).readTree(REPO.resolve("docs/openapi/" + service + ".yaml").toFile())
                .path("paths");
        List<Operation> operations = new ArrayList<>();
        Map<String, JsonNode> sorted = new TreeMap<>();
        paths.fields().forEachRemaining(entry -> sorted.put(entry.getKey(), entry.getValue()));
        sorted.forEach((path, item) -> {
            for (Iterator<Map.Entry<String, JsonNode>> methods = item.fields(); methods.hasNext(); ) {
                Map.Entry<String, JsonNode> method = methods.next();
                if (method.getValue().has("operationId")) {
                    operations.add(new Operation(method.getKey().toUpperCase(Locale.ROOT), path,
                            method.getValue().get("operationId").asText()));
                }
            }
        });
        return operations;
    }

    /** operationId → the main source file that declares it; an id declared twice fails. */
    private static Map<String, Path> operationClasses(String service) throws IOException {
        Map<String, Path> classes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(REPO.resolve(service + "/src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                Matcher matcher = OPERATION_ID.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (matcher.find()) {
                    Path earlier = classes.put(matcher.group(1), file);
                    assertTrue(earlier == null, matcher.group(1) + " is declared in " + earlier + " and " + file);
                }
            }
        }
        return classes;
    }
}
