package dev.tgregistry.localstack.hostile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small override map of valid sample values, for what the OpenAPI document does not offer itself (example,
 * examples, default, const, enum, a numeric "default N" in the description). A parameter's sample is looked up as
 * {@code "<METHOD> <path> <name>"}, then by its name alone; a body's as {@code "<METHOD> <path>"} (without it the body
 * is built from its schema). An operation may have variants: each is a set of parameter values tried as a whole
 * (e.g. {@code type=recent} and {@code type=daily}), and every parameter is attacked in each of them.
 */
public final class Samples {
    private final Map<String, String> params = new HashMap<>();
    private final Map<String, String> bodies = new HashMap<>();
    private final Map<String, List<Map<String, String>>> variants = new HashMap<>();

    /** The sample of every parameter (and body field without a sample of its own) called {@code name}. */
    public Samples param(String name, String value) {
        params.put(name, value);
        return this;
    }

    /** The sample of one operation's parameter; {@code operation} is e.g. {@code "DELETE /api/users/{id}"}. */
    public Samples param(String operation, String name, String value) {
        params.put(operation + " " + name, value);
        return this;
    }

    /** The sample body (JSON text) of an operation. */
    public Samples body(String operation, String json) {
        bodies.put(operation, json);
        return this;
    }

    /** Variants of an operation's parameter values; a null value leaves that parameter out. */
    @SafeVarargs
    public final Samples variants(String operation, Map<String, String>... values) {
        List<Map<String, String>> list = new ArrayList<>();
        for (Map<String, String> variant : values) {
            list.add(new LinkedHashMap<>(variant));
        }
        variants.put(operation, list);
        return this;
    }

    String lookup(String operation, String name) {
        String specific = params.get(operation + " " + name);
        return specific != null ? specific : params.get(name);
    }

    boolean hasParam(String operation, String name) {
        return params.containsKey(operation + " " + name) || params.containsKey(name);
    }

    String body(String operation) {
        return bodies.get(operation);
    }

    /** The variants of an operation; one empty variant when it has none. */
    List<Map<String, String>> variants(String operation) {
        return variants.getOrDefault(operation, List.of(Map.of()));
    }
}
