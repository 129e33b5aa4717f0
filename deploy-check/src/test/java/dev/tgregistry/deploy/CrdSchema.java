package dev.tgregistry.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * A custom resource checked against its CRD's openAPIV3Schema the way the API server prunes and validates it, for
 * the keywords the schemas in src/test/resources use: {@code type} (object, string, integer, number, boolean, array),
 * {@code properties} (a field not listed is an error, as kubectl's field validation reports it, unless
 * {@code x-kubernetes-preserve-unknown-fields}), {@code required}, {@code minimum}, {@code maximum}, {@code items},
 * {@code enum}. Any other keyword in a schema fails, so a schema this class cannot apply is never half-applied.
 */
record CrdSchema(String apiVersion, String kind, JsonNode schema) {
    private static final List<String> KNOWN = List.of("type", "properties", "required", "minimum", "maximum", "items",
            "enum", "x-kubernetes-preserve-unknown-fields");

    static final CrdSchema KAFKA_TOPIC = load("strimzi/kafkatopic-v1-schema.yaml");

    static CrdSchema load(String resource) {
        try {
            JsonNode file = new YAMLMapper().readTree(
                    Kustomize.REPO.resolve("deploy-check/src/test/resources").resolve(Path.of(resource)).toFile());
            return new CrdSchema(file.path("group").asText() + "/" + file.path("version").asText(),
                    file.path("kind").asText(), file.path("openAPIV3Schema"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String kindKey() {
        return apiVersion + "/" + kind;
    }

    /** The violations of {@code object} (empty: valid). */
    List<String> violations(JsonNode object) {
        List<String> errors = new ArrayList<>();
        if (!kindKey().equals(object.path("apiVersion").asText() + "/" + object.path("kind").asText())) {
            errors.add("not a " + kindKey());
        }
        check(schema, object, "", errors);
        return errors;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
        for (Iterator<String> keys = schema.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            if (!KNOWN.contains(key)) {
                throw new IllegalStateException("schema keyword not handled: " + key + " at " + path);
            }
        }
        String where = path.isEmpty() ? "." : path;
        String type = schema.path("type").asText();
        boolean typeOk = switch (type) {
            case "object" -> value.isObject();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            case "" -> true;
            default -> throw new IllegalStateException("type not handled: " + type);
        };
        if (!typeOk) {
            errors.add(where + ": " + value.getNodeType().name().toLowerCase() + " where the schema has " + type);
            return;
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : schema.path("enum")) {
                listed |= allowed.equals(value);
            }
            if (!listed) {
                errors.add(where + ": " + value + " is none of " + schema.path("enum"));
            }
        }
        if (schema.has("minimum") && value.asDouble() < schema.path("minimum").asDouble()) {
            errors.add(where + ": " + value + " below the minimum " + schema.path("minimum"));
        }
        if (schema.has("maximum") && value.asDouble() > schema.path("maximum").asDouble()) {
            errors.add(where + ": " + value + " above the maximum " + schema.path("maximum"));
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.path("items"), value.get(i), path + "[" + i + "]", errors);
            }
        }
        if (value.isObject()) {
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    errors.add(where + ": required field " + required.asText() + " missing");
                }
            }
            if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                return;
            }
            JsonNode properties = schema.path("properties");
            if (!schema.has("properties")) {
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!properties.has(field.getKey())) {
                    errors.add(path + "." + field.getKey() + ": unknown field");
                } else {
                    check(properties.path(field.getKey()), field.getValue(), path + "." + field.getKey(), errors);
                }
            }
        }
    }
}
