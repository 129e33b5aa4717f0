package dev.tgregistry.localstack.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.regex.Pattern;

/** How {@link HostileSuite} reads the text of an answer: what a detail names, and a body shown in a report line. */
final class AnswerText {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AnswerText() {
    }

    /** Refused by the HTTP edge before any route (length, size, header limits; a malformed path segment). */
    static boolean refusedByTheEdge(int status, String body) {
        return status == 411 || status == 413 || status == 414 || status == 431
                || status == 400 && body.contains("path segment");
    }

    /** A positive integer the service took as an id and quotes: an answer about what it identifies (none such). */
    static boolean quotesAnId(String detail, String value) {
        return value != null && value.matches("[1-9]\\d*") && names(detail, value, false);
    }

    /** {@code name} appears in {@code detail} as a word of its own (not inside a longer identifier such as user_id). */
    static boolean names(String detail, String name, boolean anyCase) {
        Pattern word = Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(name) + "(?![A-Za-z0-9_])", anyCase ? Pattern.CASE_INSENSITIVE : 0);
        return word.matcher(detail).find();
    }

    /** A 5xx body as its trace_id (to find the failure in the service log) and detail, else its start. */
    static String serverError(String body) {
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem.path("trace_id").isTextual()) {
                return "trace_id " + problem.path("trace_id").asText() + " (" + excerpt(problem.path("detail").asText("")) + ")";
            }
        } catch (IOException notJson) {
            // as it is
        }
        return excerpt(body);
    }

    /** The start of a body, control characters and non-ASCII shown as escapes, at most 160 characters. */
    static String excerpt(String body) {
        String flat = HostileValues.jsonEscape(body.length() > 600 ? body.substring(0, 600) : body);
        return flat.length() > 160 ? flat.substring(0, 160) + "…" : flat;
    }
}
