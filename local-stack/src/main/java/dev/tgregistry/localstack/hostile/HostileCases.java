package dev.tgregistry.localstack.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgregistry.localstack.RawHttp;
import dev.tgregistry.localstack.hostile.HostileValues.JsonValue;
import dev.tgregistry.localstack.hostile.HostileValues.ParamValue;
import dev.tgregistry.localstack.hostile.OpenApiDocument.Operation;
import dev.tgregistry.localstack.hostile.OpenApiDocument.Parameter;
import dev.tgregistry.localstack.hostile.OpenApiDocument.Range;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final BodySchema bodies;

    public HostileCases(OpenApiDocument doc, Samples samples) {
        this.doc = doc;
        this.samples = samples;
        this.bodies = new BodySchema(doc, samples);
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
                } else if (bodies.undescribed(bodySchema)) {
                    throw new IllegalStateException(operation.key() + ": the document does not describe the request body ("
                            + bodySchema + "), so add a sample body to the test's Samples");
                } else {
                    body = bodies.synthesize(operation.key(), bodySchema, null, 0);
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
            for (BodySchema.Field field : bodies.fields(base.bodySchema, base.body)) {
                Range range = OpenApiDocument.range(field.schema(), field.schema().path("description").asText(""));
                List<Case> mine = new ArrayList<>();
                for (JsonValue v : HostileValues.forField(field.sample(), field.schema(), range, field.member())) {
                    String text = RawJson.write(base.body, field.path(), v.raw(), v.duplicate());
                    mine.add(new Case(op.key(), base.variant, "body", field.display(), field.jsonName(), v.kind(), plain(v), true,
                            base.request(null, null, text), sample));
                }
                cases.addAll(mine);
                cases.add(withoutCredentials(mine.get(rotation++ % mine.size())));
            }
            List<Case> mine = new ArrayList<>();
            for (JsonValue v : HostileValues.forBody(bodyText, bodies.arrayForm(base.bodySchema), base.body)) {
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
