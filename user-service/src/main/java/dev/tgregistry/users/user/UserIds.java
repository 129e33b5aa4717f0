package dev.tgregistry.users.user;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.users.web.ApiErrors;


/** Reads the {@code user_ids} array of a validate request: strings or numbers, positive, 1..10,000 items. */
final class UserIds {
    static final int MAX = 10_000;

    private UserIds() {
    }

    /** The ids in request order (duplicates kept). */
    static long[] parse(JsonNode body) {
        JsonNode ids = body == null ? null : body.get("user_ids");
        if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > MAX) {
            throw ApiErrors.badRequest("user_ids must be an array of 1 to " + MAX + " user ids"
                    + (ids != null && ids.isArray() && ids.size() > MAX ? " (got " + ids.size() + ")" : ""));
        }
        long[] parsed = new long[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            long parsedId = id.isIntegralNumber() || id.isTextual() ? ApiErrors.userIdOrZero(id.asText()) : 0;
            if (parsedId == 0) {
                throw ApiErrors.badRequest("user_ids[" + i + "] is not a positive integer: " + id);
            }
            parsed[i] = parsedId;
        }
        return parsed;
    }
}
