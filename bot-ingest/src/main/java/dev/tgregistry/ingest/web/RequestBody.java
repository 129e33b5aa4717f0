package dev.tgregistry.ingest.web;

import dev.tgregistry.model.JsonErrors;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.model.ContractViolation;
import dev.tgregistry.model.RecordJson;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The ingest endpoints' body: one JSON object or an array of at most {@value #MAX_ITEMS} of them. */
public final class RequestBody {
    public static final int MAX_ITEMS = 1000;

    /** One element of the body and the prefix that names it in error messages ({@code [3].} or empty). */
    public record Item(JsonNode json, String path) {
    }

    private RequestBody() {
    }

    public static List<Item> items(byte[] body) {
        if (body == null || body.length == 0) {
            throw new ContractViolation("$", "request body is empty");
        }
        JsonNode root;
        try {
            root = JsonErrors.readTree(RecordJson.MAPPER, new ByteArrayInputStream(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || root.isMissingNode()) {
            throw new ContractViolation("$", "request body is empty");
        }
        if (!root.isArray()) {
            return List.of(new Item(root, ""));
        }
        if (root.size() > MAX_ITEMS) {
            throw new ContractViolation("$", "array holds " + root.size() + " items; at most " + MAX_ITEMS + " allowed");
        }
        List<Item> items = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            items.add(new Item(root.get(i), "[" + i + "]."));
        }
        return items;
    }

    /** Maps one item onto a record type, naming the item when a member has the wrong type. */
    public static <T> T as(Item item, Class<T> type) {
        if (!item.json().isObject()) {
            throw new ContractViolation(item.path().isEmpty() ? "$" : item.path(), "must be a JSON object");
        }
        try {
            return RecordJson.MAPPER.treeToValue(item.json(), type);
        } catch (JsonProcessingException e) {
            String member = JsonErrors.path(e);
            throw new ContractViolation(item.path() + (member.isEmpty() ? "$" : member), "has the wrong type: " + JsonErrors.describe(e));
        }
    }
}
