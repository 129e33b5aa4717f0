package dev.tgregistry.localstack.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.localstack.hostile.OpenApiDocument.Range;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The hostile values: for a parameter (as it goes into a URL or a header) and for a JSON body field (as a raw JSON
 * token). Which apply depends on the sample value and the schema: numbers at and past the declared bounds for an
 * integer, out-of-range instants for a date-time, huge arrays for an array, and so on.
 */
public final class HostileValues {
    static final Pattern DIGITS = Pattern.compile("-?\\d+");
    static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T.*");
    static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    static final int DEEP = 2_000;
    static final String TEN_K = "x".repeat(10_000);
    static final String DOT_SEGMENT = "dot segment (%2e%2e)";

    private HostileValues() {
    }

    /**
     * A value for a parameter: its escaped URL form (path segment or query value), its header bytes (null: none), and
     * the text the service should decode it to (null when that is not plain text).
     */
    public record ParamValue(String kind, String url, byte[] header, boolean repeated, String plain) {
    }

    /** A value for a JSON field: a raw JSON token, or {@code duplicate}: the field's member written twice. */
    public record JsonValue(String kind, String raw, boolean duplicate) {
    }

    // ---- parameters ----------------------------------------------------------------------------------------------

    /**
     * The hostile values of a parameter. {@code in} is path, query or header; {@code sample} the valid value (null:
     * none); {@code integer} whether it takes an integer.
     */
    static List<ParamValue> forParameter(String in, String sample, boolean integer, Range range, String format) {
        String s = sample == null ? "x" : sample;
        List<ParamValue> values = new ArrayList<>();
        values.add(text("NUL (\\u0000)", s + "\u0000"));
        values.add(new ParamValue("lone high surrogate (\\ud800)", escape(s) + "%ED%A0%80", concat(utf8(s), 0xED, 0xA0, 0x80), false, null));
        values.add(new ParamValue("lone low surrogate (\\udc00)", escape(s) + "%ED%B0%80", concat(utf8(s), 0xED, 0xB0, 0x80), false, null));
        values.add(text("10k characters", TEN_K));
        values.add(text("RTL/zero-width characters", "\u202E" + s + "\u200B\u200D\u2066\uFEFF"));
        values.add(text("%", "%"));
        values.add(text("_", "_"));
        values.add(text("backslash", "\\"));
        values.add(text("SQL ' OR 1=1--", "' OR 1=1--"));
        values.add(text("SQL '); SELECT", "1'); SELECT pg_sleep(0);--"));
        values.add(text("../ traversal", "../../../etc/passwd"));
        // raw in the URL: the server decodes %2e to '.' itself
        values.add(new ParamValue("%2e%2e traversal", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", utf8("%2e%2e%2f%2e%2e%2fetc%2fpasswd"), false, null));
        if (!in.equals("header")) {
            // URL only: not an escape sequence in a header
            values.add(new ParamValue("malformed %-escape (%zz%)", "%zz%", null, false, null));
            values.add(new ParamValue(DOT_SEGMENT, "%2e%2e", null, false, ".."));
        }
        if (in.equals("query")) {
            values.add(new ParamValue("repeated parameter", escape(s), null, true, null));
        }
        if (integer) {
            for (Map.Entry<String, String> number : numbers(s, range, format).entrySet()) {
                values.add(text(number.getValue(), number.getKey()));
            }
        }
        if (sample != null && DATE_TIME.matcher(sample).matches()) {
            dateTimes().forEach((value, kind) -> values.add(text(kind, value)));
        } else if (sample != null && DATE.matcher(sample).matches()) {
            dates().forEach((value, kind) -> values.add(text(kind, value)));
        }
        return values;
    }

    private static ParamValue text(String kind, String value) {
        return new ParamValue(kind, escape(value), utf8(value), false, value);
    }

    /** Numbers at and past the declared bounds and the integer types' limits, floats, exponents, padding: value → kind. */
    static Map<String, String> numbers(String sample, Range range, String format) {
        Map<String, String> numbers = new LinkedHashMap<>();
        if (range.min() != null) {
            numbers.putIfAbsent(range.min().toString(), "number at min (" + range.min() + ")");
            numbers.putIfAbsent(range.min().subtract(BigInteger.ONE).toString(), "number past min (" + range.min().subtract(BigInteger.ONE) + ")");
        }
        if (range.max() != null) {
            numbers.putIfAbsent(range.max().toString(), "number at max (" + range.max() + ")");
            numbers.putIfAbsent(range.max().add(BigInteger.ONE).toString(), "number past max (" + range.max().add(BigInteger.ONE) + ")");
        }
        numbers.putIfAbsent("0", "number 0");
        numbers.putIfAbsent("-1", "number -1");
        if (!"int64".equals(format)) {
            numbers.putIfAbsent("2147483647", "int32 max");
        }
        numbers.putIfAbsent("2147483648", "past int32 max");
        numbers.putIfAbsent("9223372036854775807", "int64 max");
        numbers.putIfAbsent("9223372036854775808", "past int64 max");
        numbers.putIfAbsent("-9223372036854775809", "past int64 min");
        numbers.putIfAbsent("12.5", "float 12.5");
        numbers.putIfAbsent("1e3", "exponent 1e3");
        numbers.putIfAbsent(" " + (DIGITS.matcher(sample).matches() ? sample : "123"), "padded ' 123'");
        numbers.putIfAbsent("\u0661\u0662", "Arabic-Indic digits");
        return numbers;
    }

    static Map<String, String> dateTimes() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("+294277-01-01T00:00:00Z", "instant past PostgreSQL's range (+294277)");
        values.put("-5000-01-01T00:00:00Z", "instant before PostgreSQL's range (-5000)");
        values.put("+1000000000-12-31T23:59:59Z", "instant at Java's Instant.MAX year");
        values.put("2026-02-30T00:00:00Z", "instant with day 30 of February");
        values.put("2026-01-01T00:00:00+25:00", "instant with offset +25:00");
        return values;
    }

    static Map<String, String> dates() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("+5874898-01-01", "date past PostgreSQL's range (+5874898)");
        values.put("-5000-01-01", "date before PostgreSQL's range (-5000)");
        values.put("+999999999-12-31", "date at Java's LocalDate.MAX");
        values.put("2026-02-30", "date 30 February");
        return values;
    }

    /** Percent-encodes UTF-8 bytes of everything but RFC 3986 unreserved characters. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] prefix, int... bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix);
        for (int b : bytes) {
            out.write(b);
        }
        return out.toByteArray();
    }

    // ---- JSON fields ---------------------------------------------------------------------------------------------

    /**
     * The hostile values of a JSON field. {@code sample}: its valid value (null: absent from the sample body);
     * {@code schema}: resolved (may be empty); {@code member}: an object member (not an array item), so it can be
     * duplicated.
     */
    static List<JsonValue> forField(JsonNode sample, JsonNode schema, Range range, boolean member) {
        String type = OpenApiDocument.type(schema);
        String s = sample != null && sample.isValueNode() && !sample.isNull() ? sample.asText() : "x";
        List<JsonValue> values = new ArrayList<>();
        values.add(string("NUL (\\u0000)", s + "\u0000"));
        values.add(new JsonValue("lone high surrogate (\\ud800)", "\"" + jsonEscape(s) + "\\ud800\"", false));
        values.add(new JsonValue("lone low surrogate (\\udc00)", "\"" + jsonEscape(s) + "\\udc00\"", false));
        values.add(string("10k characters", TEN_K));
        values.add(string("RTL/zero-width characters", "\u202E" + s + "\u200B\u200D\u2066\uFEFF"));
        values.add(string("%", "%"));
        values.add(string("_", "_"));
        values.add(string("backslash", "\\"));
        values.add(string("SQL ' OR 1=1--", "' OR 1=1--"));
        values.add(string("SQL '); SELECT", "1'); SELECT pg_sleep(0);--"));
        values.add(string("../ traversal", "../../../etc/passwd"));
        values.add(string("%2e%2e traversal", "%2e%2e%2f%2e%2e%2fetc%2fpasswd"));

        boolean numeric = type.equals("integer") || type.equals("number") || (sample != null && sample.isNumber());
        boolean digits = sample != null && sample.isTextual() && DIGITS.matcher(sample.asText()).matches();
        if (numeric || digits || range.declared()) {
            for (Map.Entry<String, String> number : numbers(s, range, schema.path("format").asText("")).entrySet()) {
                String value = number.getKey();
                boolean token = numeric && DIGITS.matcher(value).matches() || value.equals("12.5") || value.equals("1e3");
                values.add(token ? new JsonValue(number.getValue(), value, false) : string(number.getValue(), value));
            }
        }
        String format = schema.path("format").asText("");
        if (format.equals("date-time") || (sample != null && sample.isTextual() && DATE_TIME.matcher(sample.asText()).matches())) {
            dateTimes().forEach((value, kind) -> values.add(string(kind, value)));
        } else if (format.equals("date") || (sample != null && sample.isTextual() && DATE.matcher(sample.asText()).matches())) {
            dates().forEach((value, kind) -> values.add(string(kind, value)));
        }

        boolean array = type.equals("array") || (sample != null && sample.isArray());
        boolean object = type.equals("object") || (sample != null && sample.isObject());
        values.add(new JsonValue(object ? "empty object" : "wrong type: object", "{}", false));
        values.add(new JsonValue(array ? "empty array" : "wrong type: array", "[]", false));
        values.add(new JsonValue("wrong type: boolean", "true", false));
        values.add(new JsonValue("wrong type: null", "null", false));
        if (numeric) {
            values.add(new JsonValue("wrong type: string", "\"abc\"", false));
        } else {
            values.add(new JsonValue("wrong type: number", "123", false));
        }
        if (member && sample != null) {
            values.add(new JsonValue("duplicate key", null, true));
        }
        values.add(new JsonValue("2,000 nested arrays", deep(), false));
        if (array) {
            values.add(hugeArray(sample, schema));
        }
        return values;
    }

    /** Whole-body values: empty, null, wrong top-level types, truncated, deep nesting, arrays where the body may be one. */
    static List<JsonValue> forBody(String sampleJson, JsonNode arraySchema, JsonNode sample) {
        List<JsonValue> values = new ArrayList<>();
        values.add(new JsonValue("empty body", "", false));
        values.add(new JsonValue("JSON null", "null", false));
        values.add(new JsonValue("JSON string", "\"x\"", false));
        values.add(new JsonValue("JSON number", "1", false));
        values.add(new JsonValue("truncated JSON", sampleJson.substring(0, sampleJson.length() - 1), false));
        values.add(new JsonValue("2,000 nested arrays", deep(), false));
        values.add(new JsonValue("empty array", "[]", false));
        if (arraySchema != null) {
            com.fasterxml.jackson.databind.node.ArrayNode one = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            one.add(sample);
            values.add(hugeArray(one, arraySchema));
        }
        return values;
    }

    /** Past the declared maxItems (10,001 items when none is declared), made of the sample's first item. */
    private static JsonValue hugeArray(JsonNode sample, JsonNode schema) {
        int items = schema.has("maxItems") ? schema.get("maxItems").asInt() + 1 : 10_001;
        String item = sample != null && sample.isArray() && sample.size() > 0 ? RawJson.write(sample.get(0)) : "1";
        StringBuilder raw = new StringBuilder(items * (item.length() + 1) + 2).append('[');
        for (int i = 0; i < items; i++) {
            raw.append(i == 0 ? "" : ",").append(item);
        }
        return new JsonValue("huge array (" + items + " items" + (schema.has("maxItems") ? ", maxItems " + schema.get("maxItems").asInt() : "") + ")",
                raw.append(']').toString(), false);
    }

    private static String deep() {
        return "[".repeat(DEEP) + "]".repeat(DEEP);
    }

    private static JsonValue string(String kind, String value) {
        return new JsonValue(kind, "\"" + jsonEscape(value) + "\"", false);
    }

    /** A JSON string's content in pure ASCII: every other character (lone surrogates too) as a backslash-u escape. */
    static String jsonEscape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7E) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
