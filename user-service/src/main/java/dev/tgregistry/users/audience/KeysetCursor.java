package dev.tgregistry.users.audience;

import dev.tgregistry.users.RegistryConfig;
import dev.tgregistry.users.web.ApiErrors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The opaque {@code cursor} / {@code next_cursor} of every keyset-paginated list: the sort key of the last row sent,
 * tagged with the list it belongs to, so a cursor of one list is refused by another. Key parts are plain text
 * (numbers, ISO instants; an empty part is null) joined by '|'; the cursor is that text base64url-encoded, a '.',
 * and the HMAC-SHA256 of the text (base64url). A cursor that is not exactly one this service wrote is a 400 naming
 * {@code cursor}. Keys: {@code app.cursor.keys}, comma-separated; the first signs, each verifies (rotation: put a
 * new key first, remove the old one once its cursors are no longer in use).
 *
 * <pre>
 *   String next = cursors.encode("non-course", last.userId());
 *   List&lt;String&gt; key = cursors.decode("non-course", cursor, 1); // null when no cursor was given
 * </pre>
 */
@ApplicationScoped
public class KeysetCursor {
    /** Pinned instants (a walk's start) lie after this and at most {@link #CLOCK_SKEW} after now. */
    public static final Instant EARLIEST = Instant.parse("2013-01-01T00:00:00Z");
    /** Replicas' clocks differ a little; a pinned instant another replica wrote may be that far ahead. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    static final int MIN_KEY_LENGTH = 32;
    private static final String SEPARATOR = "|";
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final List<SecretKeySpec> keys = new ArrayList<>();
    private final Clock clock;

    @Inject
    public KeysetCursor(RegistryConfig config) {
        this(config.cursor().keys(), Clock.systemUTC());
    }

    KeysetCursor(List<String> configured, Clock clock) {
        for (String key : configured) {
            String trimmed = key.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.length() < MIN_KEY_LENGTH) {
                throw new IllegalArgumentException("app.cursor.keys: each key needs at least " + MIN_KEY_LENGTH
                        + " characters (e.g. openssl rand -base64 32)");
            }
            keys.add(new SecretKeySpec(trimmed.getBytes(StandardCharsets.UTF_8), ALGORITHM));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("app.cursor.keys: no key configured");
        }
        this.clock = clock;
    }

    public String encode(String list, Object... keyParts) {
        StringBuilder text = new StringBuilder(list);
        for (Object part : keyParts) {
            String value = part == null ? "" : part.toString();
            if (value.contains(SEPARATOR)) {
                throw new IllegalArgumentException("a cursor key part cannot contain '|'");
            }
            text.append(SEPARATOR).append(value);
        }
        return signed(keys.get(0), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The key parts of {@code cursor} (empty parts as null), or null if no cursor was given (the first page).
     * A cursor that is not one of {@code list}'s with {@code parts} parts, as this service wrote it, is a 400
     * naming {@code cursor}.
     */
    public List<String> decode(String list, String cursor, int parts) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        String text = authenticText(cursor);
        String[] fields = text.split("\\|", -1);
        if (fields.length != parts + 1 || !fields[0].equals(list)) {
            throw invalid();
        }
        return Arrays.stream(fields, 1, fields.length).map(f -> f.isEmpty() ? null : f).toList();
    }

    /** A key part holding the instant a walk is pinned to: present, after 2013 and not in the future. */
    public Instant pinnedInstant(List<String> key, int index) {
        Instant pinned = instantPart(key, index);
        if (pinned == null || pinned.isBefore(EARLIEST) || pinned.isAfter(clock.instant().plus(CLOCK_SKEW))) {
            throw invalid();
        }
        return pinned;
    }

    /** The message for a cursor that is refused. */
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

    /** A key part that is an instant, or null when empty. */
    public static Instant instantPart(List<String> key, int index) {
        String text = key.get(index);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeException malformed) {
            throw invalid();
        }
    }

    /** The text of a cursor one of the keys signed, compared as a whole so that no other spelling of it passes. */
    private String authenticText(String cursor) {
        int dot = cursor.lastIndexOf('.');
        byte[] text;
        try {
            text = Base64.getUrlDecoder().decode(cursor.substring(0, Math.max(dot, 0)));
        } catch (IllegalArgumentException malformed) {
            throw invalid();
        }
        byte[] given = cursor.getBytes(StandardCharsets.UTF_8);
        boolean matches = false;
        for (SecretKeySpec key : keys) {
            matches |= MessageDigest.isEqual(signed(key, text).getBytes(StandardCharsets.US_ASCII), given);
        }
        if (dot < 0 || !matches) {
            throw invalid();
        }
        return new String(text, StandardCharsets.UTF_8);
    }

    private static String signed(SecretKeySpec key, byte[] text) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return BASE64.encodeToString(text) + "." + BASE64.encodeToString(mac.doFinal(text));
        } catch (GeneralSecurityException unavailable) {
            throw new IllegalStateException(unavailable);
        }
    }
}
