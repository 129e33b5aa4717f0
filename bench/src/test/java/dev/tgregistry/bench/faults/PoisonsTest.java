package dev.tgregistry.bench.faults;

import dev.tgregistry.bench.stack.Partitions;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.model.RecordJson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The poison cases hold what they claim, and every record of a case lands on the case's partition. */
class PoisonsTest {

    private final List<Poisons.Case> cases = new Poisons(9_300_000_000L, 3, Instant.parse("2026-11-30T12:00:00Z")).all();

    @Test
    void atLeastTwelveKindsWithDistinctUsers() {
        assertTrue(cases.size() >= 12, "kinds: " + cases.size());
        Set<String> keys = new HashSet<>();
        for (Poisons.Case c : cases) {
            for (String key : c.keys()) {
                assertTrue(keys.add(key) || c.keys().contains(key), "key " + key + " shared between cases");
            }
        }
    }

    @Test
    void everyKeyOfACaseLandsOnItsPartition() {
        for (Poisons.Case c : cases) {
            for (String key : c.keys()) {
                assertEquals(c.partition(), Partitions.of(key, 3), c.name() + ": key " + key);
            }
        }
    }

    @Test
    void poisonsCarryTheirBadContent() throws Exception {
        assertTrue(text(step("NUL in a name", 0)).contains("Ann\\u0000a"));
        assertTrue(text(step("NUL in details", 1)).contains("a\\u0000b"));
        assertTrue(text(step("lone surrogate in a name", 0)).contains("X\\ud800Y"));
        assertTrue(text(step("lone surrogate in a name", 1)).contains("X\\ud800Y"));
        JsonNode long10k = RecordJson.MAPPER.readTree(text(step("10,000-character name", 1)));
        assertEquals(10_000, long10k.path("user").path("first_name").asText().length());
        JsonNode cjk = RecordJson.MAPPER.readTree(text(step("256 CJK characters in each name field", 1))).path("user");
        for (String f : List.of("first_name", "last_name", "username")) {
            assertEquals(256, cjk.path(f).asText().codePointCount(0, cjk.path(f).asText().length()), f);
        }
        JsonNode both = RecordJson.MAPPER.readTree(text(step("\"\" vs absent last_name in one batch", 0)));
        assertEquals("", both.get(0).path("message").path("from").path("last_name").asText());
        assertFalse(both.get(1).path("message").path("from").has("last_name"));
        assertTrue(text(step("lesson_date out of range", 1)).contains("\"lesson_date\":\"-5000-01-01\""));
        assertTrue(text(step("timestamp in year 9999", 1)).contains("9999-12-31T23:59:59Z"));
        assertTrue(text(step("occurred_at before 1970", 0)).contains("1965-03-01T10:00:00Z"));
        assertTrue(bytes(step("record of ~1 MB", 1)).length > 1_000_000);
        byte[] garbage = bytes(step("bytes that are not JSON", 0));
        assertFalse(new String(garbage, StandardCharsets.UTF_8).startsWith("{"));
        JsonNode wrong = RecordJson.MAPPER.readTree(text(step("valid JSON of the wrong record type", 0)));
        assertTrue(wrong.has("course_stream") && !wrong.has("user"));
    }

    @Test
    void theFreeLessonPoisonReusesAnIdOnAnotherRegistrationsDate() throws Exception {
        Poisons.Case c = cases.stream().filter(x -> x.name().equals("colliding free-lesson registration")).findFirst().orElseThrow();
        JsonNode setup = RecordJson.MAPPER.readTree(text(c.steps().get(0)));
        JsonNode poison = RecordJson.MAPPER.readTree(text(c.steps().get(1)));
        assertEquals(setup.get(1).path("id").asLong(), poison.path("id").asLong());
        assertEquals(setup.get(0).path("lesson_date").asText(), poison.path("lesson_date").asText());
        assertEquals(setup.get(0).path("user_id").asLong(), poison.path("user_id").asLong());
    }

    private Poisons.Step step(String caseName, int index) {
        return cases.stream().filter(c -> c.name().equals(caseName)).findFirst().orElseThrow().steps().get(index);
    }

    private static byte[] bytes(Poisons.Step step) {
        if (step instanceof Poisons.Http h) {
            return h.body();
        }
        return ((Poisons.Direct) step).values().get(0);
    }

    private static String text(Poisons.Step step) {
        return new String(bytes(step), StandardCharsets.UTF_8);
    }
}
