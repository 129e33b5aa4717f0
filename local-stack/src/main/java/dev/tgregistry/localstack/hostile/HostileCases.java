// Over 350 lines: one generator that walks the OpenAPI document (parameters, body schemas, $refs) and pairs every
// target with its hostile values; split by target kind it would pass the same walking state between classes. To be
// split (parameters / body fields) now that the PATCH bodies are typed records (left for the tooling issue, 26).
package dev.tgregistry.localstack.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tgregistry.localstack.hostile.HostileValues.JsonValue;
import dev.tgregistry.localstack.hostile.HostileValues.ParamValue;
import dev.tgregistry.localstack.hostile.OpenApiDocument.Operation;
import dev.tgregistry.localstack.hostile.OpenApiDocument.Parameter;
import dev.tgregistry.localstack.hostile.OpenApiDocument.Range;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds the cases of an OpenAPI document: for every operation (and variant of its sample parameters), its valid
 * sample request, and one request per hostile value of each path, query and header parameter and each request-body
 * field (schema properties, {@code $ref}s resolved, and the sample body's own members), everything else kept valid.
 */
public final class HostileCases {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenApiDocument doc;
    private final Samples samples;

    public HostileCases(OpenApiDocument doc, Samples samples) {
        this.doc = doc;
        this.samples = samples;
    }

    /** One case: a request with one hostile value (or the valid sample itself, kind {@code valid sample}). */
    public record Case(String operation, String variant, String location, String name, String namedAs, String kind,
                       String value, boolean authorised, RawHttp.Request request, RawHttp.Request sample) {
        /** e.g. {@code NUL (\\u0000) in query q of GET /api/users/search}. */
        public String describe() {
            return kind + (location.isEmpty() ? "" : " in " + location + (name.isEmpty() ? "" : " " + name)) + " of " + operation
                    + (variant.isEmpty() ? "" : " [" + variant + "]");
        }
    }

    /** An operation with one variant of its sample values: what its valid request is made of. */
    public final class Base {
        final Operation operation;
        final String variant;
        final Map<Parameter, String> values;
        final JsonNode body;
        final JsonNode bodySchema;

        Base(Operation operation, String variant, Map<Parameter, String> values, JsonNode body, JsonNode bodySchema) {
            this.operation = operation;
            this.variant = variant;
            this.values = values;
            this.body = body;
            this.bodySchema = bodySchema;
        }

        public Operation operation() {
            return operation;
        }

        public String variant() {
            return variant;
        }

        /** The valid sample request. */
        public RawHttp.Request sample() {
            return request(null, null, body == null ? null : RawJson.write(body));
        }

        /** The valid sample request with one parameter set to a (valid) value, e.g. limit=1. */
        public RawHttp.Request sampleWith(String parameter, String value) {
            for (Parameter p : operation.parameters()) {
                if (p.name().equals(parameter)) {
                    return request(p, new ParamValue("", HostileValues.escape(value), value.getBytes(StandardCharsets.UTF_8), false, value),
                            body == null ? null : RawJson.write(body));
                }
            }
            return sample();
        }

        public boolean has(String parameter) {
            return operation.parameters().stream().anyMatch(p -> p.name().equals(parameter));
        }

        public List<Parameter> cursorParameters() {
            return operation.parameters().stream().filter(HostileCases::isCursor).toList();
        }

        private RawHttp.Request request(Parameter hostile, ParamValue value, String bodyText) {
            String path = operation.path();
            StringBuilder query = new StringBuilder();
            List<RawHttp.Header> headers = new ArrayList<>();
            List<String> cookies = new ArrayList<>();
            for (Parameter p : operation.parameters()) {
                boolean isHostile = p == hostile;
                String sample = values.get(p);
                if (!isHostile && sample == null) {
                    continue;
                }
                String url = isHostile ? value.url() : HostileValues.escape(sample);
                switch (p.in()) {
                    case "path" -> path = path.replace("{" + p.name() + "}", url);
                    case "query" -> {
                        for (int i = 0; i < (isHostile && value.repeated() ? 2 : 1); i++) {
                            query.append(query.length() == 0 ? "?" : "&").append(HostileValues.escape(p.name())).append('=').append(url);
                        }
                    }
                    case "header" -> headers.add(new RawHttp.Header(p.name(),
                            isHostile ? value.header() : sample.getBytes(StandardCharsets.UTF_8)));
                    case "cookie" -> cookies.add(p.name() + "=" + url);
                    default -> throw new IllegalStateException("parameter in " + p.in());
                }
            }
            if (!cookies.isEmpty()) {
                headers.add(RawHttp.Header.of("Cookie", String.join("; ", cookies)));
            }
            byte[] bytes = null;
            if (operation.body() != null && bodyText != null) {
                headers.add(RawHttp.Header.of("Content-Type", operation.body().mediaType()));
                bytes = bodyText.getBytes(StandardCharsets.UTF_8);
            }
            return new RawHttp.Request(operation.method(), path + query, headers, bytes);
        }
    }

    static boolean isCursor(Parameter parameter) {
        return parameter.name().toLowerCase(java.util.Locale.ROOT).contains("cursor");
    }

    /** The bases of an operation: one per variant of its sample values. */
    public List<Base> bases(Operation operation) {
        List<Base> bases = new ArrayList<>();
        for (Map<String, String> variant : samples.variants(operation.key())) {
            Map<Parameter, String> values = new LinkedHashMap<>();
            for (Parameter p : operation.parameters()) {
                String value = variant.containsKey(p.name()) ? variant.get(p.name()) : sample(operation, p);
                if (value != null) {
                    values.put(p, value);
                } else if (p.required() || p.in().equals("path")) {
                    throw new IllegalStateException(operation.key() + ": no sample value for required " + p.in() + " parameter "
                            + p.name() + "; the document offers none, so add one to the test's Samples");
                }
            }
            JsonNode body = null;
            JsonNode bodySchema = null;
            if (operation.body() != null) {
                bodySchema = operation.body().schema();
                String override = samples.body(operation.key());
                if (override != null) {
                    try {
                        body = JSON.readTree(override);
                    } catch (IOException e) {
                        throw new UncheckedIOException(operation.key() + ": sample body is not JSON", e);
                    }
                } else if (undescribed(bodySchema)) {
                    throw new IllegalStateException(operation.key() + ": the document does not describe the request body ("
                            + bodySchema + "), so add a sample body to the test's Samples");
                } else {
                    body = synthesize(operation.key(), bodySchema, null, 0);
                }
            }
            String label = variant.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
            bases.add(new Base(operation, label, values, body, bodySchema));
        }
        return bases;
    }

    /** A parameter's sample: the override map, else the document (example, default, enum, "default N" in the description). */
    private String sample(Operation operation, Parameter p) {
        if (samples.hasParam(operation.key(), p.name())) {
            return samples.lookup(operation.key(), p.name());
        }
        JsonNode documented = OpenApiDocument.documentedSample(doc.resolve(p.schema()));
        if (documented != null && documented.isValueNode()) {
            return documented.asText();
        }
        return OpenApiDocument.describedDefault(p.description());
    }

    /**
     * A schema that says nothing about the body: the generic JSON object, or the properties of Jackson's own
     * {@code JsonNode} class that a generator writes for a method taking a raw {@code JsonNode} body.
     */
    private boolean undescribed(JsonNode schema) {
        if ("JsonNode".equals(OpenApiDocument.refName(schema))) {
            return true;
        }
        JsonNode resolved = doc.resolve(schema);
        return resolved.path("properties").has("value_node") && resolved.path("properties").has("container_node");
    }

    /** A sample value made from the schema: documented samples first, the override map by field name, else by type. */
    private JsonNode synthesize(String operation, JsonNode schema, String name, int depth) {
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
    private record Field(List<Object> path, JsonNode schema, JsonNode sample, boolean member) {
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
    private JsonNode arrayForm(JsonNode schema) {
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

    /**
     * Every case of a base: each parameter × its hostile values, each body field × its hostile values, the whole body
     * × its hostile values; all with credentials, and without credentials one case per parameter or field (the value
     * kind rotating, so every kind is sent without credentials somewhere) plus the valid sample.
     * {@code liveCursors}: a real next cursor per operation key, for the tampered-cursor values.
     */
    public List<Case> cases(Base base, Map<String, String> liveCursors) {
        List<Case> cases = new ArrayList<>();
        Operation op = base.operation;
        RawHttp.Request sample = base.sample();
        String bodyText = base.body == null ? null : RawJson.write(base.body);
        cases.add(new Case(op.key(), base.variant, "", "", null, "valid sample", null, false, sample, sample));
        int rotation = 0;
        for (Parameter p : op.parameters()) {
            String value = base.values.get(p);
            JsonNode schema = doc.resolve(p.schema());
            Range range = OpenApiDocument.range(schema, p.description());
            String type = OpenApiDocument.type(schema);
            boolean integer = type.equals("integer") || type.equals("number") || range.declared()
                    || (value != null && HostileValues.DIGITS.matcher(value).matches());
            List<ParamValue> values = new ArrayList<>(HostileValues.forParameter(p.in(), value, integer, range, schema.path("format").asText("")));
            if (isCursor(p)) {
                values.addAll(cursorValues(op.key(), liveCursors));
            }
            List<Case> mine = new ArrayList<>();
            for (ParamValue v : values) {
                if (p.in().equals("header") && v.header() == null) {
                    continue; // URL-only values (escapes, dot segments) mean nothing in a header
                }
                if (p.in().equals("header") && v.kind().startsWith("NUL")) {
                    // HTTP forbids NUL in a field value (RFC 9110 5.5): Vert.x's codec refuses the request before any
                    // handler, a bare 400 that Quarkus 3.34 offers no hook to rewrite (docs/API.md, "Sizes")
                    continue;
                }
                // After RFC 3986 dot-segment removal a path with a %2e%2e segment is another path (/api/users/%2e%2e/profile
                // is /api/profile): no operation receives this parameter, so the answer (still a problem+json 4xx, and
                // still no new metric series) cannot name it. Not so in a query, where it is the value "..".
                boolean reroutes = p.in().equals("path") && v.kind().equals(HostileValues.DOT_SEGMENT);
                mine.add(new Case(op.key(), base.variant, p.in(), p.name(), reroutes ? null : p.name(), v.kind(), v.plain(), true,
                        base.request(p, v, bodyText), sample));
            }
            cases.addAll(mine);
            cases.add(withoutCredentials(mine.get(rotation++ % mine.size())));
        }
        if (base.body != null) {
            List<Field> fields = new ArrayList<>();
            fields(base.bodySchema, base.body, List.of(), fields, 0);
            for (Field field : fields) {
                Range range = OpenApiDocument.range(field.schema, field.schema.path("description").asText(""));
                List<Case> mine = new ArrayList<>();
                for (JsonValue v : HostileValues.forField(field.sample, field.schema, range, field.member)) {
                    String text = RawJson.write(base.body, field.path, v.raw(), v.duplicate());
                    mine.add(new Case(op.key(), base.variant, "body", field.display(), field.jsonName(), v.kind(), plain(v), true,
                            base.request(null, null, text), sample));
                }
                cases.addAll(mine);
                cases.add(withoutCredentials(mine.get(rotation++ % mine.size())));
            }
            List<Case> mine = new ArrayList<>();
            for (JsonValue v : HostileValues.forBody(bodyText, arrayForm(base.bodySchema), base.body)) {
                // the whole body is the value: there is no one field a message could name
                mine.add(new Case(op.key(), base.variant, "body", "(whole body)", null, v.kind(), null, true,
                        base.request(null, null, v.raw()), sample));
            }
            cases.addAll(mine);
            cases.add(withoutCredentials(mine.get(rotation % mine.size())));
        }
        return cases;
    }

    private static Case withoutCredentials(Case c) {
        return new Case(c.operation(), c.variant(), c.location(), c.name(), c.namedAs(), c.kind(), c.value(), false, c.request(), c.sample());
    }

    /** The plain value of a JSON token that is a number or a string of digits (what a message may quote), else null. */
    private static String plain(JsonValue v) {
        if (v.raw() == null) {
            return null;
        }
        String raw = v.raw().startsWith("\"") && v.raw().endsWith("\"") && v.raw().length() >= 2 ? v.raw().substring(1, v.raw().length() - 1) : v.raw();
        return HostileValues.DIGITS.matcher(raw).matches() ? raw : null;
    }

    /**
     * A real cursor of this list with one character changed (first, middle, last); when the real cursor is readable
     * (base64url of text whose parts are separated by '|', ',' or ':'), forged ones: each part but the first replaced by
     * a NUL, a number past int64, an instant past PostgreSQL's range, and re-encoded; and another list's real cursor.
     */
    private static List<ParamValue> cursorValues(String operation, Map<String, String> liveCursors) {
        List<ParamValue> values = new ArrayList<>();
        String cursor = liveCursors.get(operation);
        if (cursor != null) {
            for (int at : new int[] {0, cursor.length() / 2, cursor.length() - 1}) {
                String tampered = cursor.substring(0, at) + flip(cursor.charAt(at)) + cursor.substring(at + 1);
                values.add(new ParamValue("tampered cursor (character " + at + " of a real next cursor changed)",
                        HostileValues.escape(tampered), tampered.getBytes(StandardCharsets.UTF_8), false, tampered));
            }
            String text = readable(cursor);
            if (text != null) {
                String separator = text.contains("|") ? "|" : text.contains(",") ? "," : ":";
                String[] parts = text.split(java.util.regex.Pattern.quote(separator), -1);
                Map<String, String> forgeries = new LinkedHashMap<>();
                forgeries.put("NUL", "1\u0000");
                forgeries.put("number past int64", "9223372036854775808");
                forgeries.put("instant past PostgreSQL's range", "+294277-01-01T00:00:00Z");
                for (int part = 1; part < parts.length; part++) {
                    for (Map.Entry<String, String> forgery : forgeries.entrySet()) {
                        String[] forged = parts.clone();
                        forged[part] = forgery.getValue();
                        String encoded = java.util.Base64.getUrlEncoder().withoutPadding()
                                .encodeToString(String.join(separator, forged).getBytes(StandardCharsets.UTF_8));
                        values.add(new ParamValue("forged cursor (part " + part + " of a real one: " + forgery.getKey() + ")",
                                encoded, encoded.getBytes(StandardCharsets.UTF_8), false, encoded));
                    }
                }
            }
        }
        liveCursors.entrySet().stream().filter(e -> !e.getKey().equals(operation)).findFirst().ifPresent(other ->
                values.add(new ParamValue("another list's real cursor (" + other.getKey() + ")",
                        HostileValues.escape(other.getValue()), other.getValue().getBytes(StandardCharsets.UTF_8), false, other.getValue())));
        return values;
    }

    /** The text a cursor is the base64url of, if it is printable text with a separator; else null. */
    private static String readable(String cursor) {
        try {
            String text = new String(java.util.Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            boolean printable = text.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
            return printable && (text.contains("|") || text.contains(",") || text.contains(":")) ? text : null;
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    private static char flip(char c) {
        if (c >= '0' && c <= '8' || c >= 'a' && c <= 'y' || c >= 'A' && c <= 'Y') {
            return (char) (c + 1);
        }
        if (c == '9') {
            return '0';
        }
        if (c == 'z') {
            return 'a';
        }
        return c == 'Z' ? 'A' : 'A';
    }
}
