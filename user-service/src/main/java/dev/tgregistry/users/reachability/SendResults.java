package dev.tgregistry.users.reachability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.model.RecordTimes;
import dev.tgregistry.users.web.ApiErrors;
import dev.tgregistry.users.web.ApiTimes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code POST /api/users/send-results} body: 1..10,000 items, each a user id, a time, and either
 * {@code ok: true} or an {@code error_code} (with an optional {@code description}). A bad item is a 400 naming it.
 *
 * @param results the items that say something about their user (delivered, or a 403)
 * @param ignored how many items failed with another code (429, 400, 5xx: about the request, not the user)
 */
record SendResults(List<SendResult> results, int received, int ignored) {
    static final int MAX = 10_000;
    static final int MAX_DESCRIPTION = 1_000;

    static SendResults parse(JsonNode body, Instant now) {
        JsonNode items = body == null ? null : body.get("results");
        if (items == null || !items.isArray() || items.isEmpty() || items.size() > MAX) {
            throw ApiErrors.badRequest("results must be an array of 1 to " + MAX + " send results"
                    + (items != null && items.isArray() && items.size() > MAX ? " (got " + items.size() + ")" : ""));
        }
        List<SendResult> results = new ArrayList<>(items.size());
        int ignored = 0;
        for (int i = 0; i < items.size(); i++) {
            SendResult result = item(items.get(i), "results[" + i + "]", now);
            if (result == null) {
                ignored++;
            } else {
                results.add(result);
            }
        }
        return new SendResults(results, items.size(), ignored);
    }

    private static SendResult item(JsonNode item, String name, Instant now) {
        if (!item.isObject()) {
            throw ApiErrors.badRequest(name + " must be an object {user_id, at, ok | error_code, description}");
        }
        JsonNode id = item.path("user_id");
        long userId = ApiErrors.userId(name + ".user_id", id.isIntegralNumber() || id.isTextual() ? id.asText() : null);
        Instant at = time(item.path("at"), name + ".at", now);
        JsonNode ok = item.path("ok");
        JsonNode code = item.path("error_code");
        JsonNode description = item.path("description");
        if (!ok.isMissingNode() && !ok.isNull() && !ok.isBoolean()) {
            throw ApiErrors.badRequest(name + ".ok must be true or false");
        }
        if (!description.isMissingNode() && !description.isNull()
                && (!description.isTextual() || description.asText().length() > MAX_DESCRIPTION)) {
            throw ApiErrors.badRequest(name + ".description must be a string of at most " + MAX_DESCRIPTION + " characters");
        }
        boolean hasCode = !code.isMissingNode() && !code.isNull();
        if (ok.asBoolean(false)) {
            if (hasCode) {
                throw ApiErrors.badRequest(name + ".error_code must be absent when ok is true");
            }
            return new SendResult(userId, SendOutcome.DELIVERED, at);
        }
        if (!hasCode || !code.canConvertToInt() || !code.isIntegralNumber() || code.asInt() < 100 || code.asInt() > 599) {
            throw ApiErrors.badRequest(name + ".error_code must be Telegram's error code (an integer 100..599) unless ok is true");
        }
        SendOutcome outcome = SendOutcome.ofFailure(code.asInt(), description.isTextual() ? description.asText() : null);
        return outcome == null ? null : new SendResult(userId, outcome, at);
    }

    private static Instant time(JsonNode value, String name, Instant now) {
        if (!value.isTextual()) {
            throw ApiErrors.badRequest(name + " is required: an ISO-8601 time with offset, e.g. 2026-01-31T10:15:00Z");
        }
        Instant at = ApiTimes.parse(name, value.asText());
        if (!RecordTimes.isPlausible(at, now)) {
            throw ApiErrors.badRequest(name + " must lie between " + RecordTimes.EARLIEST + " and "
                    + RecordTimes.MAX_AHEAD.toMinutes() + " minutes from now");
        }
        return at;
    }
}
