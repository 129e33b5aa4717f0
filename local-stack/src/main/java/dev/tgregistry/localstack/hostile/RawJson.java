package dev.tgregistry.localstack.hostile;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes a JSON tree as ASCII text with one field replaced by a raw token (which may be invalid or unusual JSON: a
 * lone-surrogate escape, 2,000 nested arrays) or written twice (a duplicate key). A target field the tree lacks is
 * appended to its parent object.
 */
final class RawJson {
    private RawJson() {
    }

    static String write(JsonNode node) {
        StringBuilder out = new StringBuilder();
        new Writer(out, List.of(), null, false).write(node, List.of());
        return out.toString();
    }

    /** {@code target}: field names and array indexes from the root. */
    static String write(JsonNode root, List<Object> target, String raw, boolean duplicate) {
        StringBuilder out = new StringBuilder();
        new Writer(out, target, raw, duplicate).write(root, List.of());
        return out.toString();
    }

    private record Writer(StringBuilder out, List<Object> target, String raw, boolean duplicate) {
        void write(JsonNode node, List<Object> here) {
            if (node.isObject()) {
                out.append('{');
                boolean first = true;
                boolean found = false;
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    List<Object> path = append(here, field.getKey());
                    boolean isTarget = path.equals(target);
                    found |= isTarget;
                    first = member(first, field.getKey(), isTarget && !duplicate ? null : field.getValue(), isTarget ? raw : null, path);
                    if (isTarget && duplicate) {
                        first = member(first, field.getKey(), field.getValue(), null, path);
                    }
                }
                if (!found && target.size() == here.size() + 1 && target.subList(0, here.size()).equals(here)
                        && target.get(here.size()) instanceof String name) {
                    member(first, name, null, raw, append(here, name));
                }
                out.append('}');
            } else if (node.isArray()) {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    out.append(i == 0 ? "" : ",");
                    List<Object> path = append(here, i);
                    if (path.equals(target) && !duplicate) {
                        out.append(raw);
                    } else {
                        write(node.get(i), path);
                    }
                }
                out.append(']');
            } else if (node.isTextual()) {
                out.append('"').append(HostileValues.jsonEscape(node.textValue())).append('"');
            } else {
                out.append(node.toString());
            }
        }

        private boolean member(boolean first, String name, JsonNode value, String rawValue, List<Object> path) {
            out.append(first ? "" : ",").append('"').append(HostileValues.jsonEscape(name)).append("\":");
            if (rawValue != null) {
                out.append(rawValue);
            } else {
                write(value, path);
            }
            return false;
        }

        private static List<Object> append(List<Object> path, Object segment) {
            java.util.ArrayList<Object> longer = new java.util.ArrayList<>(path);
            longer.add(segment);
            return longer;
        }
    }
}
