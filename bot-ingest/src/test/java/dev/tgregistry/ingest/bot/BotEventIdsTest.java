package dev.tgregistry.ingest.bot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.RecordJson;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A derived event id names the event, not the request: a retry gets the same id, a different event another. */
class BotEventIdsTest {
    private static final Instant OCCURRED = Instant.parse("2026-03-01T10:15:30Z");
    private static final Instant RECEIVED = Instant.parse("2026-03-01T10:20:05Z");

    private static BotEvent event(long userId, String type, String detailsJson, Instant occurredAt) {
        try {
            ObjectNode details = detailsJson == null ? null : (ObjectNode) RecordJson.MAPPER.readTree(detailsJson);
            return new BotEvent(null, null, userId, type, details, occurredAt, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aRetryGetsTheSameId() {
        String id = BotEventIds.derive(event(5, "lesson_opened", "{\"lesson\": 3}", OCCURRED), RECEIVED);
        assertEquals(id, BotEventIds.derive(event(5, "lesson_opened", "{\"lesson\": 3}", OCCURRED), RECEIVED.plusSeconds(3600)));
        assertTrue(id.matches("d-[0-9a-f]{32}"), id);
    }

    @Test
    void eachPartOfTheEventChangesTheId() {
        String id = BotEventIds.derive(event(5, "lesson_opened", "{\"lesson\": 3}", OCCURRED), RECEIVED);
        assertNotEquals(id, BotEventIds.derive(event(6, "lesson_opened", "{\"lesson\": 3}", OCCURRED), RECEIVED));
        assertNotEquals(id, BotEventIds.derive(event(5, "lesson_closed", "{\"lesson\": 3}", OCCURRED), RECEIVED));
        assertNotEquals(id, BotEventIds.derive(event(5, "lesson_opened", "{\"lesson\": 4}", OCCURRED), RECEIVED));
        assertNotEquals(id, BotEventIds.derive(event(5, "lesson_opened", null, OCCURRED), RECEIVED));
        assertNotEquals(id, BotEventIds.derive(event(5, "lesson_opened", "{\"lesson\": 3}", OCCURRED.plusMillis(1)), RECEIVED));
    }

    @Test
    void withoutOccurredAtTheReceiveMinuteStandsIn() {
        BotEvent undated = event(5, "ping", null, null);
        String id = BotEventIds.derive(undated, Instant.parse("2026-03-01T10:20:05Z"));
        assertEquals(id, BotEventIds.derive(undated, Instant.parse("2026-03-01T10:20:59.999Z")));
        assertNotEquals(id, BotEventIds.derive(undated, Instant.parse("2026-03-01T10:21:00Z")));
        assertEquals(id, BotEventIds.derive(event(5, "ping", null, Instant.parse("2026-03-01T10:20:00Z")), RECEIVED));
    }
}
