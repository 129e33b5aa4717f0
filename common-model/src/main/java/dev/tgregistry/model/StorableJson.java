package dev.tgregistry.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * What PostgreSQL's jsonb can store of a JSON tree, checked the same way wherever JSON enters (bot records' details,
 * user-service request bodies): member names and strings as {@link Text#problemIn}, and numbers that fit a double
 * (Jackson reads {@code 1e400} as infinity, which jsonb would get as the string "Infinity").
 */
public final class StorableJson {
    private StorableJson() {
    }

    /**
     * @param path the tree's name in messages, empty for a request body's root (members are then named bare)
     * @throws ContractViolation naming the first member that cannot be stored, e.g. {@code attributes.x[2]}
     */
    public static void check(String path, JsonNode node) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            String problem = Text.problemIn(node.textValue());
            if (problem != null) {
                throw new ContractViolation(path.isEmpty() ? "$" : path, problem);
            }
        } else if (node.isNumber()) {
            if (!node.isIntegralNumber() && !Double.isFinite(node.doubleValue())
                    || node.isBigInteger() && !Double.isFinite(node.bigIntegerValue().doubleValue())) {
                throw new ContractViolation(path.isEmpty() ? "$" : path, "must be a number within the range of a double");
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(path + "[" + i + "]", node.get(i));
            }
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> members = node.fields();
            while (members.hasNext()) {
                Map.Entry<String, JsonNode> member = members.next();
                String name = path.isEmpty() ? member.getKey() : path + "." + member.getKey();
                String problem = Text.problemIn(member.getKey());
                if (problem != null) {
                    throw new ContractViolation((path.isEmpty() ? "$" : path) + " member name", problem);
                }
                check(name, member.getValue());
            }
        }
    }
}
