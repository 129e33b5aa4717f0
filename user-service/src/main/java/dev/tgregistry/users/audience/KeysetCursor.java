package dev.tgregistry.users.audience;

import dev.tgregistry.users.web.ApiErrors;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The opaque {@code cursor} / {@code next_cursor} of a keyset-paginated list: the sort key of the last row sent,
 * tagged with the list it belongs to, so a cursor of one list is refused by another. Key parts are plain text
 * (numbers, ISO instants; an empty part is null) joined by '|' and base64url-encoded.
 *
 * <pre>
 *   String next = KeysetCursor.encode("non-course", last.userId());
 *   List&lt;String&gt; key = KeysetCursor.decode("non-course", cursor, 1); // null when no cursor was given
 * </pre>
 */
public final class KeysetCursor {
    private static final String SEPARATOR = "|";

    private KeysetCursor() {
    }

    public static String encode(String list, Object... keyParts) {
        StringBuilder text = new StringBuilder(list);
        for (Object part : keyParts) {
            String value = part == null ? "" : part.toString();
            if (value.contains(SEPARATOR)) {
                throw new IllegalArgumentException("a cursor key part cannot contain '|'");
            }
            text.append(SEPARATOR).append(value);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The key parts of {@code cursor} (empty parts as null), or null if no cursor was given (the first page).
     * A cursor that is not one of {@code list}'s with {@code parts} parts is a 400 naming {@code cursor}.
     */
    public static List<String> decode(String list, String cursor, int parts) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
            String[] fields = text.split("\\|", -1);
            if (fields.length == parts + 1 && fields[0].equals(list)) {
                return Arrays.stream(fields, 1, fields.length).map(f -> f.isEmpty() ? null : f).toList();
            }
        } catch (IllegalArgumentException malformed) {
            // reported below
        }
        throw invalid();
    }

    /** The message for a cursor whose parts do not parse (e.g. a number part that is not a number). */
    public static RuntimeException invalid() {
        return ApiErrors.badRequest("cursor is invalid; pass next_cursor from the previous page");
    }

    /** A key part that must be a long. */
    public static long longPart(List<String> key, int index) {
        try {
            return Long.parseLong(key.get(index));
        } catch (RuntimeException malformed) {
            throw invalid();
        }
    }
}
