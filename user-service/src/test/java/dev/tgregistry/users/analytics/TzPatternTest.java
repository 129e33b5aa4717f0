package dev.tgregistry.users.analytics;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code tz} pattern the API documents promise ({@link DayWindow#TZ_PATTERN}) refuses no value the service
 * takes: every IANA zone Java knows, and every offset -12:00..+14:00 in the documented form; and it refuses what is no
 * zone in any form (a generated client may check it before sending).
 */
class TzPatternTest {
    private static final Pattern TZ = Pattern.compile(DayWindow.TZ_PATTERN);

    @Test
    void everyZoneTheServiceTakesFitsThePattern() {
        for (String id : ZoneId.getAvailableZoneIds()) {
            int offset = ZoneId.of(id).getRules().getOffset(java.time.Instant.now()).getTotalSeconds();
            if (offset >= -12 * 3600 && offset <= 14 * 3600) {
                DayWindow.zone(id);
                assertTrue(TZ.matcher(id).matches(), id);
            }
        }
        for (int minutes = -12 * 60; minutes <= 14 * 60; minutes += 15) {
            String offset = ZoneOffset.ofTotalSeconds(minutes * 60).getId().replace("Z", "+00:00");
            DayWindow.zone(offset);
            assertTrue(TZ.matcher(offset).matches(), offset);
        }
    }

    @Test
    void thePatternRefusesWhatIsNoZone() {
        for (String value : List.of("", "+15:00", "-13:00", "+03:60", "Europe/", "/Moscow", "Asia Tehran", "../etc/passwd", "' OR 1=1--")) {
            assertFalse(TZ.matcher(value).matches(), value);
        }
    }
}
