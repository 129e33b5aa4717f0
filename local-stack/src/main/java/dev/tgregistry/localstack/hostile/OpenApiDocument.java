package dev.tgregistry.localstack.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A committed OpenAPI 3.x document, read as YAML: its operations, parameters and request bodies, {@code $ref}s resolved. */
public final class OpenApiDocument {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    /** A range stated in a description, e.g. {@code 1..200} or {@code 1..} (no upper bound). */
    private static final Pattern RANGE = Pattern.compile("(?<![\\w.])(-?\\d[\\d,]*)\\s*\\.\\.\\s*(-?\\d[\\d,]*)?");
    private static final Pattern NUMERIC_DEFAULT = Pattern.compile("\\bdefault (-?\\d[\\d,]*)\\b");

    private final Path file;
    private final JsonNode root;

    private OpenApiDocument(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    public static OpenApiDocument load(Path yaml) {
        try {
            return new OpenApiDocument(yaml, new ObjectMapper(new YAMLFactory()).readTree(Files.readString(yaml)));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + yaml, e);
        }
    }

    /** {@code docs/openapi/<name>} found from the working directory (a module directory or the repository root). */
    public static Path committed(String name) {
        for (Path candidate : List.of(Path.of("..", "docs", "openapi", name), Path.of("docs", "openapi", name))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/openapi/" + name + " not found from " + Path.of("").toAbsolutePath());
    }

    public Path file() {
        return file;
    }

    /** A parameter: {@code in} is path, query, header or cookie. */
    public record Parameter(String name, String in, JsonNode schema, String description, boolean required) {
    }

    /** The request body: the media type used (application/json preferred) and its schema (unresolved). */
    public record Body(String mediaType, JsonNode schema, boolean required) {
    }

    public record Operation(String method, String path, List<Parameter> parameters, Body body, boolean secured) {
        /** e.g. {@code GET /api/users/{id}}. */
        public String key() {
            return method + " " + path;
        }
    }

    /** The path templates of the document, e.g. {@code /api/users/{id}}. */
    public Set<String> pathTemplates() {
        Set<String> paths = new LinkedHashSet<>();
        root.path("paths").fieldNames().forEachRemaining(paths::add);
        return paths;
    }

    /** Every operation, in document order. */
    public List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        boolean globalSecurity = root.path("security").size() > 0;
        Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            JsonNode item = path.getValue();
            Iterator<Map.Entry<String, JsonNode>> entries = item.fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                if (!METHODS.contains(entry.getKey())) {
                    continue;
                }
                JsonNode operation = entry.getValue();
                Map<String, Parameter> parameters = new LinkedHashMap<>();
                for (JsonNode source : List.of(item.path("parameters"), operation.path("parameters"))) {
                    for (JsonNode p : source) {
                        JsonNode parameter = resolve(p);
                        String name = parameter.path("name").asText();
                        String in = parameter.path("in").asText();
                        parameters.put(in + ":" + name, new Parameter(name, in, parameter.path("schema"),
                                parameter.path("description").asText(""), parameter.path("required").asBoolean(false)));
                    }
                }
                Body body = null;
                JsonNode requestBody = resolve(operation.path("requestBody"));
                if (!requestBody.isMissingNode()) {
                    JsonNode content = requestBody.path("content");
                    String mediaType = content.has("application/json") ? "application/json" : content.fieldNames().next();
                    body = new Body(mediaType, content.path(mediaType).path("schema"), requestBody.path("required").asBoolean(false));
                }
                boolean secured = operation.has("security") ? operation.path("security").size() > 0 : globalSecurity;
                operations.add(new Operation(entry.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                        List.copyOf(parameters.values()), body, secured));
            }
        }
        return operations;
    }

    /** The schema (or parameter, or body) a {@code $ref} points to, followed to the end; anything else as it is. */
    public JsonNode resolve(JsonNode node) {
        for (int hops = 0; node != null && node.has("$ref"); hops++) {
            if (hops > 50) {
                throw new IllegalStateException("$ref cycle at " + node);
            }
            node = root.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    /** The component name a schema refers to ({@code JsonNode} for {@code #/components/schemas/JsonNode}), or null. */
    public static String refName(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.isEmpty() ? null : ref.substring(ref.lastIndexOf('/') + 1);
    }

    /** The schema's type: {@code string}, {@code integer}, ...; OpenAPI 3.1's type arrays give their first non-null type. */
    public static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!t.asText().equals("null")) {
                    return t.asText();
                }
            }
        }
        return type.asText("");
    }

    /** A sample value the schema itself offers: example, examples[0], default, const or enum[0]; else null. */
    public static JsonNode documentedSample(JsonNode schema) {
        for (String member : List.of("example", "default", "const")) {
            if (schema.has(member)) {
                return schema.get(member);
            }
        }
        if (schema.path("examples").isArray() && schema.path("examples").size() > 0) {
            return schema.path("examples").get(0);
        }
        if (schema.path("enum").isArray() && schema.path("enum").size() > 0) {
            return schema.path("enum").get(0);
        }
        return null;
    }

    /** A numeric default stated in a description ("1..200, default 20"), or null. */
    public static String describedDefault(String description) {
        Matcher matcher = NUMERIC_DEFAULT.matcher(description == null ? "" : description);
        return matcher.find() ? matcher.group(1).replace(",", "") : null;
    }

    /** Declared bounds: schema minimum/maximum, else a range stated in the description ("1..200", "1.."). */
    public record Range(BigInteger min, BigInteger max) {
        public boolean declared() {
            return min != null || max != null;
        }
    }

    public static Range range(JsonNode schema, String description) {
        BigInteger min = schema.has("minimum") ? schema.get("minimum").bigIntegerValue() : null;
        BigInteger max = schema.has("maximum") ? schema.get("maximum").bigIntegerValue() : null;
        if (schema.has("exclusiveMinimum") && schema.get("exclusiveMinimum").isNumber()) {
            min = schema.get("exclusiveMinimum").bigIntegerValue().add(BigInteger.ONE);
        }
        if (schema.has("exclusiveMaximum") && schema.get("exclusiveMaximum").isNumber()) {
            max = schema.get("exclusiveMaximum").bigIntegerValue().subtract(BigInteger.ONE);
        }
        if (min == null && max == null && description != null) {
            Matcher matcher = RANGE.matcher(description);
            if (matcher.find()) {
                min = new BigInteger(matcher.group(1).replace(",", ""));
                max = matcher.group(2) == null ? null : new BigInteger(matcher.group(2).replace(",", ""));
            }
        }
        return new Range(min, max);
    }
}
