package dev.tgregistry.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What docs/API.md ("The contract and compatibility") promises a client generator, checked on both committed documents:
 * a unique {@code operationId} on every operation, no Java library type (Jackson, Vert.x, Netty) as a schema, every
 * parameter typed, every response schema listing all its members as required (the services write each one, null
 * included), and the audience lists' headers and CSV.
 */
class ContractShapeTest {
    private static final Set<String> LIBRARY_TYPES = Set.of("JsonNode", "JsonNodeType", "ObjectNode", "ArrayNode", "Buffer",
            "ByteBuf", "Object");
    /** Response members that are absent in some answers, as their description says: a problem's trace id (5xx only). */
    private static final Set<String> SOMETIMES_ABSENT = Set.of("Problem.trace_id");

    @ParameterizedTest
    @ValueSource(strings = {"user-service", "bot-ingest"})
    void everyOperationIsNamedTypedAndShaped(String service) throws IOException {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of("../docs/openapi/" + service + ".yaml")));
        List<String> problems = new ArrayList<>();
        Set<String> operationIds = new HashSet<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(entry -> {
            String operation = entry.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey();
            JsonNode body = entry.getValue();
            String id = body.path("operationId").asText("");
            if (id.isEmpty() || !operationIds.add(id)) {
                problems.add(operation + ": operationId missing or repeated: '" + id + "'");
            }
            for (JsonNode parameter : body.path("parameters")) {
                if (!parameter.path("schema").has("type") && !parameter.path("schema").has("$ref")) {
                    problems.add(operation + ": parameter " + parameter.path("name").asText() + " has no type");
                }
            }
        }));
        Set<String> requests = new HashSet<>();
        doc.path("paths").forEach(item -> item.forEach(operation -> references(doc, operation.path("requestBody"), requests)));
        doc.path("components").path("schemas").fields().forEachRemaining(schema -> {
            if (LIBRARY_TYPES.contains(schema.getKey())) {
                problems.add("schema " + schema.getKey() + " is a library type, not a contract");
            }
            // a response writes every member (null included): each is required
            List<String> optional = new ArrayList<>();
            schema.getValue().path("properties").fieldNames().forEachRemaining(optional::add);
            schema.getValue().path("required").forEach(member -> optional.remove(member.asText()));
            optional.removeIf(member -> SOMETIMES_ABSENT.contains(schema.getKey() + "." + member));
            if (!requests.contains(schema.getKey()) && !optional.isEmpty()) {
                problems.add("response schema " + schema.getKey() + " does not list as required: " + optional);
            }
        });
        assertTrue(problems.isEmpty(), service + ":\n  " + String.join("\n  ", problems));
    }

    /** Collects the component names {@code node} refers to, following references into the components. */
    private static void references(JsonNode doc, JsonNode node, Set<String> names) {
        if (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            if (names.add(name)) {
                references(doc, doc.path("components").path("schemas").path(name), names);
            }
        }
        node.forEach(child -> references(doc, child, names));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/users/non-course", "/api/users/by-stream", "/api/user-activity"})
    void audienceListsDocumentTheirCursorHeadersAndCsv(String path) throws IOException {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of("../docs/openapi/user-service.yaml")));
        JsonNode ok = doc.path("paths").path(path).path("get").path("responses").path("200");
        assertTrue(ok.path("headers").has("X-Next-Cursor") && ok.path("headers").has("Link"), path + ": " + ok);
        assertTrue(ok.path("content").has("application/json") && ok.path("content").has("text/csv"), path + ": " + ok);
    }
}
