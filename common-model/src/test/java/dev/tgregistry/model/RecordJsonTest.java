package dev.tgregistry.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordJsonTest {
    private static final Instant AT = Instant.parse("2026-11-20T10:15:00Z");

    @Test
    void everyRecordSurvivesARoundTrip() {
        ObjectNode details = RecordJson.MAPPER.createObjectNode().put("course_id", 1);
        TelegramUser user = new TelegramUser(95450323L, false, "serejaris", "Сергей", null, "ru", true);
        List<RegistryRecord> records = List.of(
                UserSeen.of(user, AT, new UserSeen.Source(1001L, "message"), UserSeen.KICKED),
                UserSeen.of(user, AT, new UserSeen.Source(1002L, "message"), null, UserSeen.VIA_MENTIONED),
                new BotEvent(1, "a1b2c3", 95450323L, "view_program", details, AT, user),
                new BookingChanged(1, 1001L, 123456789L, "alex_smith", "Alex", 1, "4th_stream", 2, AT, "FRIEND20", 20, AT),
                new FreeLessonRegistered(1, 5001L, 987654321L, "maria_jones", "Maria", "maria@example.com",
                        "intro_to_python", LocalDate.parse("2025-09-05"), AT, true),
                new BookingAdminEdit(1, 7L, 1001L, 123456789L, BookingAdminEdit.COURSE_STREAM,
                        RecordJson.MAPPER.getNodeFactory().textNode("5th_stream"), AT, "key-0123456789ab"),
                new BookingAdminEdit(1, 8L, 1001L, 123456789L, BookingAdminEdit.CONFIRMED,
                        RecordJson.MAPPER.getNodeFactory().numberNode(2), AT, "key-0123456789ab"));
        for (RegistryRecord record : records) {
            RegistryRecord back = RecordJson.read(bytes(RecordJson.write(record)), record.getClass());
            assertEquals(record, back);
        }
    }

    @Test
    void jsonUsesSnakeCaseIsoInstantsAndASchemaVersion() {
        String json = RecordJson.write(UserSeen.of(new TelegramUser(7L, false, null, "Ann", null, null, null), AT, null, null));
        assertTrue(json.contains("\"schema_version\":1"), json);
        assertTrue(json.contains("\"seen_at\":\"2026-11-20T10:15:00Z\""), json);
        assertTrue(json.contains("\"first_name\":\"Ann\""), json);
    }

    @Test
    void seenViaIsWrittenAndAnOlderRecordWithoutItStillParses() {
        String json = RecordJson.write(UserSeen.of(new TelegramUser(7L, false, null, "Ann", null, null, null), AT, null, null,
                UserSeen.VIA_PRIVATE_CHAT));
        assertTrue(json.contains("\"seen_via\":\"private_chat\""), json);
        assertTrue(RecordJson.read(bytes(json), UserSeen.class).inPrivateChat());

        UserSeen older = RecordJson.read(bytes("{\"schema_version\": 1, \"seen_at\": \"2026-11-20T10:15:00Z\", \"user\": {\"id\": 7}}"),
                UserSeen.class);
        assertNull(older.seenVia());
        assertFalse(older.inPrivateChat(), "a sighting that does not say how is no proof of a private chat");

        UserSeen newer = RecordJson.read(bytes("{\"seen_at\": \"2026-11-20T10:15:00Z\", \"user\": {\"id\": 7}, \"seen_via\": \"story\"}"),
                UserSeen.class);
        assertFalse(newer.inPrivateChat(), "a value this build does not know is accepted as indirect");
        assertEquals("seen_via", assertThrows(ContractViolation.class, () -> RecordJson.read(
                bytes("{\"seen_at\": \"2026-11-20T10:15:00Z\", \"user\": {\"id\": 7}, \"seen_via\": \"" + "x".repeat(33) + "\"}"),
                UserSeen.class)).field());
    }

    @Test
    void unknownFieldsAreIgnored() {
        String newerProducer = """
                {"schema_version": 1, "seen_at": "2026-11-20T10:15:00Z", "added_later": {"x": 1},
                 "user": {"id": 7, "first_name": "Ann", "is_bot": false, "can_join_groups": true, "added_in_bot_api_99": "?"}}""";
        UserSeen seen = RecordJson.read(bytes(newerProducer), UserSeen.class);
        assertEquals(7L, seen.user().id());
        assertEquals("Ann", seen.user().firstName());
        assertNull(seen.user().username());
    }

    @Test
    void contractViolationsNameTheField() {
        assertEquals("user.id", assertThrows(ContractViolation.class, () -> RecordJson.read(
                bytes("{\"seen_at\": \"2026-11-20T10:15:00Z\", \"user\": {\"id\": 0}}"), UserSeen.class)).field());
        assertEquals("schema_version", assertThrows(ContractViolation.class, () -> RecordJson.read(
                bytes("{\"schema_version\": 2, \"seen_at\": \"2026-11-20T10:15:00Z\", \"user\": {\"id\": 5}}"), UserSeen.class)).field());
        assertEquals("event_type", assertThrows(ContractViolation.class, () -> RecordJson.read(
                bytes("{\"event_id\": \"e\", \"user_id\": 5, \"event_type\": \"" + "x".repeat(51) + "\", \"occurred_at\": \"2026-11-20T10:15:00Z\"}"),
                BotEvent.class)).field());
        assertEquals("confirmed", assertThrows(ContractViolation.class, () -> RecordJson.read(
                bytes("{\"id\": 1, \"user_id\": 5, \"confirmed\": 3, \"created_at\": \"2026-11-20T10:15:00Z\", \"changed_at\": \"2026-11-20T10:15:00Z\"}"),
                BookingChanged.class)).field());
        assertEquals("field", assertThrows(ContractViolation.class, () -> RecordJson.read(
                bytes("{\"edit_id\": 1, \"booking_id\": 2, \"user_id\": 5, \"field\": \"user_id\", \"edited_at\": \"2026-11-20T10:15:00Z\", \"edited_by\": \"k\"}"),
                BookingAdminEdit.class)).field());
        assertEquals("$", assertThrows(ContractViolation.class, () -> RecordJson.read(bytes("{not json"), UserSeen.class)).field());
        assertEquals("changed_at", assertThrows(ContractViolation.class, () -> RecordJson.read(
                bytes("{\"id\": 1, \"user_id\": 5, \"created_at\": \"2026-11-20T10:15:00Z\", \"changed_at\": \"2026-11-20T10:14:59Z\"}"),
                BookingChanged.class)).field());
    }

    /** A booking's date (what orders its snapshots and what an erasure is compared with) is the latest date sent. */
    @Test
    void aBookingWithoutChangedAtIsDatedAtItsCreatedAtNotItsReceiveTime() {
        Instant created = AT.minusSeconds(120);
        BookingChanged createdOnly = new BookingChanged(null, 1L, 5L, null, null, null, "4th_stream", null, created, null, null, null)
                .withDefaults(AT);
        assertEquals(created, createdOnly.changedAt());
        BookingChanged changedOnly = new BookingChanged(null, 1L, 5L, null, null, null, "4th_stream", null, null, null, null, created)
                .withDefaults(AT);
        assertEquals(created, changedOnly.createdAt());
        changedOnly.validate();
    }

    @Test
    void httpDefaultsFillWhatTheBotMayOmit() {
        BookingChanged booking = new BookingChanged(null, 1L, 5L, null, null, null, "4th_stream", null, null, null, null, null)
                .withDefaults(AT);
        booking.validate();
        assertEquals(0, booking.confirmed());
        assertEquals(AT, booking.changedAt());
        BotEvent event = new BotEvent(null, null, 5L, "start_command", null, null, new TelegramUser(null, null, "u", null, null, null, null))
                .withDefaults("d-1", AT);
        event.validate();
        assertEquals(5L, event.user().id(), "the snapshot takes the event's user id");
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
