package dev.tgregistry.localstack.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tgregistry.localstack.hostile.OpenApiDocument.Range;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A request body's schema walked for the hostile cases: a sample body made from it, and every field it has. */
final class BodySchema {
    private final OpenApiDocument doc;
    private final Samples samples;

    BodySchema(OpenApiDocument doc, Samples samples) {
        this.doc = doc;
        this.samples = samples;
    }

    /**
     * A schema that says nothing about the body: the generic JSON object, or the properties of Jackson's own
     * {@code JsonNode} class that a generator writes for a method taking a raw {@code JsonNode} body.
     */
    boolean undescribed(JsonNode schema) {
        if ("JsonNode".equals(OpenApiDocument.refName(schema))) {
            return true;
        }
        JsonNode resolved = doc.resolve(schema);
        return resolved.path("properties").has("value_node") && resolved.path("properties").has("container_node");
    }

    /** A sample value made from the schema: documented samples first, the override map by field name, else by type. */
    JsonNode synthesize(String operation, JsonNode schema, String name, int depth) {
        JsonNode resolved = doc.resolve(schema);
        JsonNode documented = OpenApiDocument.documentedSample(resolved);
        if (documented != null) {
            return documented;
        }
        String type = OpenApiDocument.type(resolved);
        if (name != null && samples.hasParam(operation, name)) {
            String text = samples.lookup(operation, name);
            return switch (type) {
                case "integer" -> JsonNodeFactory.instance.numberNode(new BigInteger(text));
                case "boolean" -> BooleanNode.valueOf(Boolean.parseBoolean(text));
                default -> TextNode.valueOf(text);
            };
        }
        if (depth > 8) {
            return null;
        }
        for (String combinator : List.of("oneOf", "anyOf")) {
            if (resolved.has(combinator)) {
                for (JsonNode alternative : resolved.get(combinator)) {
                    if (!OpenApiDocument.type(doc.resolve(alternative)).equals("array")) {
                        return synthesize(operation, alternative, name, depth + 1);
                    }
                }
                return synthesize(operation, resolved.get(combinator).get(0), name, depth + 1);
            }
        }
        if (type.equals("object") || resolved.has("properties") || resolved.has("allOf")) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            List<JsonNode> parts = new ArrayList<>();
            parts.add(resolved);
            resolved.path("allOf").forEach(parts::add);
            for (JsonNode part : parts) {
                Iterator<Map.Entry<String, JsonNode>> properties = doc.resolve(part).path("properties").fields();
                while (properties.hasNext()) {
                    Map.Entry<String, JsonNode> property = properties.next();
                    JsonNode value = synthesize(operation, property.getValue(), property.getKey(), depth + 1);
                    if (value != null) {
                        object.set(property.getKey(), value);
                    }
                }
            }
            return object;
        }
        return switch (type) {
            case "array" -> {
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                JsonNode item = synthesize(operation, resolved.path("items"), name, depth + 1);
                if (item != null) {
                    array.add(item);
                }
                yield array;
            }
            case "string" -> TextNode.valueOf(switch (resolved.path("format").asText("")) {
                case "date-time" -> "2026-01-01T00:00:00Z";
                case "date" -> "2026-01-01";
                default -> "sample";
            });
            case "integer", "number" -> {
                Range range = OpenApiDocument.range(resolved, resolved.path("description").asText(""));
                yield JsonNodeFactory.instance.numberNode(range.min() != null ? range.min() : BigInteger.ONE);
            }
            case "boolean" -> BooleanNode.TRUE;
            default -> null;
        };
    }

    /** A body field: its path from the root, schema (resolved; empty when only the sample has it) and sample value. */
    record Field(List<Object> path, JsonNode schema, JsonNode sample, boolean member) {
        String display() {
            StringBuilder out = new StringBuilder();
            for (Object segment : path) {
                if (segment instanceof Integer index) {
                    out.append('[').append(index).append(']');
                } else {
                    out.append(out.length() == 0 ? "" : ".").append(segment);
                }
            }
            return out.toString();
        }

        /** The JSON name a message must name: the last member name on the path (user_ids for user_ids[0]). */
        String jsonName() {
            for (int i = path.size() - 1; i >= 0; i--) {
                if (path.get(i) instanceof String name) {
                    return name;
                }
            }
            return display();
        }
    }

    /** Every field of the body: schema properties and the sample's members, recursively, array items as [0]. */
    List<Field> fields(JsonNode schema, JsonNode sample) {
        List<Field> out = new ArrayList<>();
        fields(schema, sample, List.of(), out, 0);
        return out;
    }

    private void fields(JsonNode schema, JsonNode sample, List<Object> path, List<Field> out, int depth) {
        if (depth > 10) {
            return;
        }
        JsonNode resolved = schema == null || undescribed(schema) ? JsonNodeFactory.instance.objectNode() : doc.resolve(schema);
        resolved = alternativeFor(resolved, sample);
        if (sample != null && sample.isArray()) {
            if (sample.size() > 0) {
                JsonNode itemSchema = doc.resolve(resolved.path("items"));
                List<Object> itemPath = append(path, 0);
                out.add(new Field(itemPath, itemSchema.isMissingNode() ? JsonNodeFactory.instance.objectNode() : itemSchema, sample.get(0), false));
                if (sample.get(0).isContainerNode()) {
                    fields(itemSchema, sample.get(0), itemPath, out, depth + 1);
                }
            }
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        if (sample != null && sample.isObject()) {
            sample.fieldNames().forEachRemaining(names::add);
        }
        resolved.path("properties").fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode childSchema = resolved.path("properties").has(name)
                    ? doc.resolve(resolved.path("properties").get(name)) : JsonNodeFactory.instance.objectNode();
            JsonNode childSample = sample == null ? null : sample.get(name);
            List<Object> childPath = append(path, name);
            out.add(new Field(childPath, childSchema, childSample, true));
            if (childSample != null && childSample.isContainerNode()) {
                fields(resolved.path("properties").has(name) ? resolved.path("properties").get(name) : null, childSample, childPath, out, depth + 1);
            }
        }
    }

    /** Of a oneOf/anyOf, the alternative that has the sample's shape (object or array). */
    private JsonNode alternativeFor(JsonNode schema, JsonNode sample) {
        for (String combinator : List.of("oneOf", "anyOf")) {
            if (schema.has(combinator)) {
                for (JsonNode alternative : schema.get(combinator)) {
                    JsonNode resolved = doc.resolve(alternative);
                    boolean array = OpenApiDocument.type(resolved).equals("array");
                    if (sample == null || array == sample.isArray()) {
                        return resolved;
                    }
                }
            }
        }
        return schema;
    }

    /** The array form the body may take (oneOf/anyOf alternative or the body itself), or null. */
    JsonNode arrayForm(JsonNode schema) {
        JsonNode resolved = doc.resolve(schema);
        if (OpenApiDocument.type(resolved).equals("array")) {
            return resolved;
        }
        for (String combinator : List.of("oneOf", "anyOf")) {
            for (JsonNode alternative : resolved.path(combinator)) {
                if (OpenApiDocument.type(doc.resolve(alternative)).equals("array")) {
                    return doc.resolve(alternative);
                }
            }
        }
        return null;
    }

    private static List<Object> append(List<Object> path, Object segment) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(segment);
        return longer;
    }
}
