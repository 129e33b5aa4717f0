package dev.tgregistry.users.audience;

import dev.tgregistry.web.ApiException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cursor codec alone: only a cursor it wrote, byte for byte, passes; keys rotate; pinned instants are bounded. */
class KeysetCursorTest {
    static final String OLD_KEY = "old-key-for-cursor-tests-0123456789abcdef";
    static final String NEW_KEY = "new-key-for-cursor-tests-0123456789abcdef";
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    static KeysetCursor codec(String... keys) {
        return new KeysetCursor(List.of(keys), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static void assertRefused(KeysetCursor codec, String list, String cursor, int parts) {
        ApiException refused = assertThrows(ApiException.class, () -> codec.decode(list, cursor, parts), cursor);
        assertEquals(400, refused.status());
        assertTrue(refused.getMessage().contains("cursor"), refused.getMessage());
    }

    @Test
    void aCursorRoundTripsAndNoCursorIsTheFirstPage() {
        KeysetCursor codec = codec(NEW_KEY);
        String cursor = codec.encode("stream-students:4th_stream", NOW, null, 42L);
        assertEquals(java.util.Arrays.asList(NOW.toString(), null, "42"), codec.decode("stream-students:4th_stream", cursor, 3));
        assertNull(codec.decode("stream-students:4th_stream", null, 3));
        assertNull(codec.decode("stream-students:4th_stream", "", 3));
    }

    @Test
    void everyChangedCharacterIsRefused() {
        KeysetCursor codec = codec(NEW_KEY);
        String cursor = codec.encode("leads:7:hot", NOW, 12L, NOW, 95450323L);
        for (int i = 0; i < cursor.length(); i++) {
            for (char other : (ALPHABET + ".=+/ ").toCharArray()) {
                if (other != cursor.charAt(i)) {
                    assertRefused(codec, "leads:7:hot", cursor.substring(0, i) + other + cursor.substring(i + 1), 4);
                }
            }
        }
        assertRefused(codec, "leads:7:hot", cursor + "A", 4);
        assertRefused(codec, "leads:7:hot", cursor.substring(0, cursor.length() - 1), 4);
        assertRefused(codec, "leads:7:hot", " " + cursor, 4);
    }

    @Test
    void unsignedForgedOrOtherListsCursorsAreRefused() {
        KeysetCursor codec = codec(NEW_KEY);
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        // the unsigned format of earlier versions, and the forged one that once reached PostgreSQL (500)
        assertRefused(codec, "non-course", base64.encodeToString("non-course|12".getBytes(StandardCharsets.UTF_8)), 1);
        String forged = base64.encodeToString("stream-students:4th_stream|2013-01-01T00:00:00Z|-999999999-01-01T00:00:00Z|1"
                .getBytes(StandardCharsets.UTF_8));
        assertRefused(codec, "stream-students:4th_stream", forged, 3);
        assertRefused(codec, "stream-students:4th_stream", forged + ".", 3);
        assertRefused(codec, "non-course", "%%%", 1);
        assertRefused(codec, "non-course", codec.encode("by-stream:5th_stream", 12L), 1);
        assertRefused(codec, "non-course", codec.encode("non-course", 12L, 13L), 1);
        assertRefused(codec, "non-course", codec(OLD_KEY).encode("non-course", 12L), 1);
    }

    @Test
    void theFirstKeySignsAndEveryKeyVerifies() {
        String byOldKey = codec(OLD_KEY).encode("non-course", 12L);
        KeysetCursor rotating = codec(NEW_KEY, OLD_KEY);
        assertEquals(List.of("12"), rotating.decode("non-course", byOldKey, 1));
        String byRotating = rotating.encode("non-course", 13L);
        assertEquals(List.of("13"), codec(NEW_KEY).decode("non-course", byRotating, 1));
        assertRefused(codec(OLD_KEY), "non-course", byRotating, 1);
        assertRefused(codec(NEW_KEY), "non-course", byOldKey, 1);
    }

    @Test
    void pinnedInstantsLieBetween2013AndNowPlusTheSkew() {
        KeysetCursor codec = codec(NEW_KEY);
        for (String fine : List.of("2013-01-01T00:00:00Z", "2026-06-01T12:04:59Z", "2020-05-05T05:05:05.123456Z")) {
            assertEquals(Instant.parse(fine), codec.pinnedInstant(List.of(fine), 0));
        }
        for (String out : List.of("2012-12-31T23:59:59Z", "2026-06-01T12:05:01Z", "+99999-01-01T00:00:00Z",
                "-999999999-01-01T00:00:00Z", "yesterday")) {
            ApiException refused = assertThrows(ApiException.class, () -> codec.pinnedInstant(List.of(out), 0), out);
            assertTrue(refused.getMessage().contains("cursor"));
        }
        assertThrows(ApiException.class, () -> codec.pinnedInstant(java.util.Arrays.asList((String) null), 0));
    }

    @Test
    void shortOrMissingKeysStopTheService() {
        assertThrows(IllegalArgumentException.class, () -> codec("too-short"));
        assertThrows(IllegalArgumentException.class, () -> codec(" ", ""));
    }
}
