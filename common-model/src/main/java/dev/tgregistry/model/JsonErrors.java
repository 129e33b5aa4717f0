package dev.tgregistry.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Why a JSON document or one of its members was refused, in the contract's words: no Java class or method names. */
public final class JsonErrors {
    private JsonErrors() {
    }

    /** Members named in a message before it is cut short: a 2,000-deep array needs only its outermost member. */
    private static final int MAX_PATH_STEPS = 4;

    /**
     * The member the failure is about, e.g. {@code attributes.x[2]} or {@code user.id}; empty when it is the document
     * itself. Mapping failures carry their path; parse failures (too deep, a number out of range) have the parser's
     * position.
     */
    public static String path(JsonProcessingException failure) {
        return path(failure, failure.getProcessor() instanceof JsonParser parser ? parser : null);
    }

    /**
     * A JSON document as a tree; a document that is no JSON, or too deep or long, is a violation naming the member
     * where reading stopped ({@code $} for the document itself). The parser is kept at hand for that: Jackson's
     * limit failures do not carry it.
     */
    public static JsonNode readTree(ObjectMapper mapper, InputStream json) throws IOException {
        try (JsonParser parser = mapper.createParser(json)) {
            try {
                JsonNode tree = mapper.readTree(parser);
                return tree == null ? MissingNode.getInstance() : tree;
            } catch (JsonProcessingException malformed) {
                String member = path(malformed, parser);
                throw new ContractViolation(member.isEmpty() ? "$" : member, "malformed JSON: " + describe(malformed));
            }
        }
    }

    private static String path(JsonProcessingException failure, JsonParser parser) {
        List<String> steps = new ArrayList<>();
        if (failure instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            for (JsonMappingException.Reference reference : mapping.getPath()) {
                steps.add(reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]");
            }
        } else if (parser != null) {
            for (JsonStreamContext at = parser.getParsingContext(); at != null && !at.inRoot(); at = at.getParent()) {
                if (at.inObject() && at.getCurrentName() == null) {
                    continue;
                }
                steps.add(0, at.inObject() ? at.getCurrentName() : "[" + Math.max(at.getCurrentIndex(), 0) + "]");
            }
        }
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < Math.min(steps.size(), MAX_PATH_STEPS); i++) {
            String step = steps.get(i);
            path.append(step.startsWith("[") || path.isEmpty() ? "" : ".").append(step);
        }
        return steps.size() > MAX_PATH_STEPS ? path + "..." : path.toString();
    }

    public static String describe(JsonProcessingException failure) {
        if (failure instanceof StreamConstraintsException) {
            String message = String.valueOf(failure.getOriginalMessage());
            if (message.contains("nesting depth")) {
                return "JSON nested deeper than " + StreamReadConstraints.DEFAULT_MAX_DEPTH + " levels";
            }
            return message.contains("Number") ? "a number is too long" : "a string or name is too long";
        }
        if (failure instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "expected " + kind(mismatch.getTargetType());
        }
        return withoutJavaNames(failure.getOriginalMessage());
    }

    private static String kind(Class<?> type) {
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class
                || type == Short.class || type == java.math.BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Instant.class) {
            return "an ISO-8601 timestamp, e.g. 2026-01-31T10:15:00Z";
        }
        if (type == LocalDate.class) {
            return "a date, e.g. 2026-01-31";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    /** Jackson's parse messages may quote a Java type in backticks ({@code `java.lang.Long`}). */
    private static String withoutJavaNames(String message) {
        return message == null ? "malformed JSON" : message.replaceAll("\\s*\\(from `[^`]*`\\)", "")
                .replaceAll("`[A-Za-z_$][\\w$]*(\\.[\\w$]+)+(\\(\\))?`", "value");
    }
}
