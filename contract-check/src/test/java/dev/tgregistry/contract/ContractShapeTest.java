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
 * parameter typed, every response object listing its required members, and the audience lists' headers and CSV.
 */
class ContractShapeTest {
    private static final Set<String> LIBRARY_TYPES = Set.of("JsonNode", "JsonNodeType", "ObjectNode", "ArrayNode", "Buffer",
            "ByteBuf", "Object");

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
        doc.path("components").path("schemas").fields().forEachRemaining(schema -> {
            if (LIBRARY_TYPES.contains(schema.getKey())) {
                problems.add("schema " + schema.getKey() + " is a library type, not a contract");
            }
            // a schema without required members must be one whose members are all optional, i.e. nullable
            List<String> notNullable = new ArrayList<>();
            schema.getValue().path("properties").fields().forEachRemaining(property -> {
                if (!nullable(property.getValue())) {
                    notNullable.add(property.getKey());
                }
            });
            if (!notNullable.isEmpty() && schema.getValue().path("required").isMissingNode()) {
                problems.add("schema " + schema.getKey() + " says nothing about which members are present (required): " + notNullable);
            }
        });
        assertTrue(problems.isEmpty(), service + ":\n  " + String.join("\n  ", problems));
    }

    private static boolean nullable(JsonNode schema) {
        for (JsonNode type : schema.path("type")) {
            if (type.asText().equals("null")) {
                return true;
            }
        }
        for (String group : List.of("anyOf", "oneOf")) {
            for (JsonNode member : schema.path(group)) {
                if (member.path("type").asText().equals("null")) {
                    return true;
                }
            }
        }
        return false;
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
