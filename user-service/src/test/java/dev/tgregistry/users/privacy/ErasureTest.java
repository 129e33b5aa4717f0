package dev.tgregistry.users.privacy;

import dev.tgregistry.users.TestUserIds;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.model.BookingChanged;
import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.FreeLessonRegistered;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.RegistryRecord;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.Topics;
import dev.tgregistry.model.UserSeen;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.db;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DELETE /api/users/{id} and GET /api/users/{id}/export: what an erasure removes and keeps, that records still in
 * Kafka cannot bring the person back while a newer sighting starts a new record, the export's completeness, the
 * audit rows and the erase right. User ids, booking and registration ids 7_120_100_000..7_120_199_999.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class ErasureTest {
    static final long FROM = TestUserIds.ERASURE.from();
    static final long TO = TestUserIds.ERASURE.to();
    private static final Instant T1 = Instant.parse("2025-05-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2025-05-02T10:00:00Z");

    @BeforeEach
    void clean() {
        String users = " WHERE user_id BETWEEN " + FROM + " AND " + TO;
        String rows = " WHERE id BETWEEN " + FROM + " AND " + TO;
        sql("DELETE FROM events" + users, "DELETE FROM user_name_history" + users, "DELETE FROM bookings" + rows,
                "DELETE FROM bookings" + users, "DELETE FROM free_lesson_registrations" + rows,
                "DELETE FROM free_lesson_registrations" + users, "DELETE FROM users" + users,
                "DELETE FROM erased_users" + users, "DELETE FROM audit_log" + users);
    }

    @Test
    void replayOfTheSameRecordsThroughKafkaBringsNothingBack() {
        long id = FROM + 1;
        List<Map.Entry<String, RegistryRecord>> story = List.of(
                Map.entry(Topics.USER_SEEN, seen(id, "zqe_first", T1)),
                Map.entry(Topics.USER_SEEN, seen(id, "zqe_second", T2)),
                Map.entry(Topics.BOT_EVENTS, new BotEvent(1, "zqe-evt-1", id, "start_command", names("zqe_first", "Eve"), T1, null)),
                Map.entry(Topics.BOT_EVENTS, new BotEvent(1, "zqe-evt-2", id, "view_program", null, T2, null)),
                Map.entry(Topics.BOOKINGS, new BookingChanged(1, id, id, "zqe_first", "Eve", 3, "6th_stream", 2, T1, "FRIEND10", 10, T2)),
                Map.entry(Topics.FREE_LESSONS, new FreeLessonRegistered(1, id, id, "zqe_first", "Eve", "eve@example.com",
                        "cursor_lesson", LocalDate.parse("2025-05-10"), T1, true)));
        story.forEach(record -> publish(record.getKey(), id, record.getValue()));
        await().atMost(Duration.ofSeconds(20)).until(() -> count("events WHERE user_id = " + id) == 2
                && count("user_name_history WHERE user_id = " + id) == 1 && count("bookings WHERE user_id = " + id) == 1
                && count("free_lesson_registrations WHERE user_id = " + id) == 1
                && "zqe_second".equals(scalar("SELECT username FROM users WHERE user_id = " + id)));

        api().delete("/api/users/" + id).then().statusCode(200)
                .body("user_id", equalTo(Long.toString(id)))
                .body("deleted.users", equalTo(1))
                .body("deleted.events", equalTo(2))
                .body("deleted.user_name_history", equalTo(1))
                .body("anonymized.bookings", equalTo(1))
                .body("anonymized.free_lesson_registrations", equalTo(1));
        assertErased(id);

        // the same records again (a replay, a redelivery), then one record of another user per topic on the same
        // partition (same key): once those are stored, the replay has been consumed
        story.forEach(record -> publish(record.getKey(), id, record.getValue()));
        long other = FROM + 901;
        publish(Topics.USER_SEEN, id, seen(other, "zqe_sentinel", T2));
        publish(Topics.BOT_EVENTS, id, new BotEvent(1, "zqe-sentinel", other, "start_command", null, T2, null));
        publish(Topics.BOOKINGS, id, new BookingChanged(1, other, other, null, null, 3, "6th_stream", 0, T2, null, 0, T2));
        publish(Topics.FREE_LESSONS, id, new FreeLessonRegistered(1, other, other, null, null, "s@example.com",
                "cursor_lesson", LocalDate.parse("2025-05-10"), T2, false));
        await().atMost(Duration.ofSeconds(20)).until(() -> count("users WHERE user_id = " + other) == 1
                && count("events WHERE event_id = 'zqe-sentinel'") == 1 && count("bookings WHERE id = " + other) == 1
                && count("free_lesson_registrations WHERE id = " + other) == 1);

        assertErased(id);
        api().get("/api/users/" + id).then().statusCode(404);
        api().get("/api/users/" + id + "/names").then().statusCode(404);
        assertEquals(List.of(), api().queryParam("username", "zqe_second").get("/api/users/lookup").then().statusCode(200)
                .extract().jsonPath().getList("user_id"));
    }

    @Test
    void aSightingAfterTheErasureStartsANewRecord() {
        long id = FROM + 2;
        publish(Topics.USER_SEEN, id, seen(id, "zqe_old_self", T1));
        publish(Topics.BOT_EVENTS, id, new BotEvent(1, "zqe-evt-old", id, "start_command", null, T1, null));
        await().atMost(Duration.ofSeconds(20)).until(() -> count("events WHERE user_id = " + id) == 1
                && count("users WHERE user_id = " + id) == 1);
        api().delete("/api/users/" + id).then().statusCode(200);

        Instant back = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        publish(Topics.USER_SEEN, id, seen(id, "zqe_old_self", T1));  // still in Kafka: stays out
        publish(Topics.BOT_EVENTS, id, new BotEvent(1, "zqe-evt-old", id, "start_command", null, T1, null));
        publish(Topics.USER_SEEN, id, seen(id, "zqe_new_self", back));
        publish(Topics.BOT_EVENTS, id, new BotEvent(1, "zqe-evt-new", id, "start_command", null, back, null));
        await().atMost(Duration.ofSeconds(20)).until(() -> count("events WHERE user_id = " + id) == 1
                && "zqe_new_self".equals(scalar("SELECT username FROM users WHERE user_id = " + id)));

        api().get("/api/users/" + id).then().statusCode(200)
                .body("user.first_seen_at", equalTo(iso(back)))
                .body("events.size()", equalTo(1))
                .body("events[0].created_at", equalTo(iso(back)));
        api().get("/api/users/" + id + "/names").then().statusCode(200)
                .body("names.size()", equalTo(1))
                .body("names[0].username", equalTo("zqe_new_self"));
        assertEquals(0L, count("events WHERE event_id = 'zqe-evt-old'"));
    }

    @Test
    void bookingsAndRegistrationsStayWithoutIdentifyingData() throws Exception {
        long id = FROM + 3;
        sql("INSERT INTO users (user_id, username, first_name, first_seen_at, last_seen_at) VALUES (" + id + ", 'zqe_payer', 'Pat', '" + T1 + "', '" + T2 + "')",
                "INSERT INTO bookings (id, user_id, username, first_name, course_id, confirmed, created_at, referral_code, discount_percent, course_stream, changed_at) VALUES ("
                        + (FROM + 31) + ", " + id + ", 'zqe_payer', 'Pat', 4, 2, '" + T1 + "', 'ZQEREF', 15, '7th_stream', '" + T2 + "')",
                "INSERT INTO bookings (id, user_id, username, first_name, course_id, confirmed, created_at, course_stream) VALUES ("
                        + (FROM + 32) + ", " + id + ", 'zqe_payer', 'Pat', 5, 0, '" + T2 + "', '8th_stream')",
                "INSERT INTO free_lesson_registrations (id, user_id, username, first_name, email, registered_at, notification_sent, lesson_type, lesson_date) VALUES ("
                        + (FROM + 31) + ", " + id + ", 'zqe_payer', 'Pat', 'pat@example.com', '" + T1 + "', true, 'cursor_lesson', '2025-05-10')");

        api().delete("/api/users/" + id).then().statusCode(200)
                .body("anonymized.bookings", equalTo(2))
                .body("anonymized.free_lesson_registrations", equalTo(1));

        assertEquals(List.of(List.of(-(FROM + 31), 4, 2, T1, "ZQEREF", 15, "7th_stream", T2)),
                rows("SELECT user_id, course_id, confirmed, created_at, referral_code, discount_percent, course_stream, changed_at "
                        + "FROM bookings WHERE id = " + (FROM + 31)), "accounting fields stay; user_id links to nobody");
        assertEquals(List.of(Arrays.asList(null, null)), rows("SELECT username, first_name FROM bookings WHERE id = " + (FROM + 31)));
        assertEquals(-(FROM + 32), ((Number) scalar("SELECT user_id FROM bookings WHERE id = " + (FROM + 32))).longValue());
        assertEquals(List.of(Arrays.asList(-(FROM + 31), null, null, null, T1, true, "cursor_lesson", LocalDate.parse("2025-05-10"))),
                rows("SELECT user_id, username, first_name, email, registered_at, notification_sent, lesson_type, lesson_date "
                        + "FROM free_lesson_registrations WHERE id = " + (FROM + 31)));
        assertEquals(0L, count("bookings WHERE user_id = " + id));
        // confirmed students of the stream: the erased payer is nobody's row
        List<String> students = api().queryParam("stream", "7th_stream").get("/api/users/by-stream").then().statusCode(200)
                .extract().jsonPath().getList("user_id");
        assertFalse(students.contains(Long.toString(id)));
        assertFalse(students.stream().anyMatch(student -> student.startsWith("-")));
    }

    /**
     * The issue-27 case: a booking sent after the erasure with a created_at before it and no changed_at. Its date is
     * its created_at (bot-ingest's defaults, applied here as bot-ingest applies them), so it stays anonymised and
     * appears in no list.
     */
    @Test
    void aBookingWithoutChangedAtCreatedBeforeTheErasureNeverBringsThePersonBack() {
        long id = FROM + 8;
        long bookingId = FROM + 81;
        publish(Topics.USER_SEEN, id, seen(id, "zqe_late_payer", T1));
        await().atMost(Duration.ofSeconds(20)).until(() -> count("users WHERE user_id = " + id) == 1);
        Instant erasedAt = Instant.parse(api().delete("/api/users/" + id).then().statusCode(200).extract().path("erased_at"));

        Instant createdBefore = erasedAt.minusSeconds(120);
        BookingChanged late = new BookingChanged(null, bookingId, id, "zqe_late_payer", "Eve", 3, "zqe_stream", 2,
                createdBefore, null, 0, null).withDefaults(Instant.now());
        assertEquals(createdBefore, late.changedAt(), "dated at its created_at, not at its receive time");
        publish(Topics.BOOKINGS, id, late);
        await().atMost(Duration.ofSeconds(20)).until(() -> count("bookings WHERE id = " + bookingId) == 1);

        assertEquals(-bookingId, ((Number) scalar("SELECT user_id FROM bookings WHERE id = " + bookingId)).longValue());
        assertNull(scalar("SELECT COALESCE(username, first_name) FROM bookings WHERE id = " + bookingId));
        String export = api().get("/api/users/" + id + "/export").then().statusCode(200)
                .body("tables.bookings.size()", equalTo(0)).body("tables.users.size()", equalTo(0))
                .extract().asString();
        assertFalse(export.contains("zqe_late_payer"), "the export holds only the tombstone and the audit rows");
        String roster = api().queryParam("stream", "zqe_stream").get("/api/stream-students").then().statusCode(200)
                .body("total", equalTo(0)).extract().asString();
        assertFalse(roster.contains("zqe_late_payer") || roster.contains("\"-"), roster);
        String recent = api().queryParam("limit", 200).get("/api/bookings").then().statusCode(200).extract().asString();
        assertFalse(recent.contains(Long.toString(bookingId)), "anonymised rows are in no list");
    }

    @Test
    void exportHoldsEveryTableThatHoldsTheUser() throws Exception {
        long id = FROM + 4;
        seedEverywhere(id);
        var export = api().get("/api/users/" + id + "/export").then().statusCode(200)
                .body("user_id", equalTo(Long.toString(id)))
                .body("tables.users[0].username", equalTo("zqe_exported"))
                .body("tables.free_lesson_registrations[0].email", equalTo("ex@example.com"))
                .body("tables.events.find { it.event_type == 'start_command' }.details.first_name", equalTo("Ex"))
                .body("tables.user_name_history.size()", equalTo(2))
                .extract().jsonPath();

        TreeSet<String> holding = new TreeSet<>();
        try (Connection connection = db(); Statement statement = connection.createStatement();
             ResultSet tables = statement.executeQuery("SELECT table_name FROM information_schema.columns "
                     + "WHERE table_schema = current_schema() AND column_name = 'user_id'")) {
            while (tables.next()) {
                holding.add(tables.getString(1));
            }
        }
        Map<String, Object> exported = export.getMap("tables");
        assertEquals(holding, new TreeSet<>(exported.keySet()), "every table with a user_id is exported");
        for (String table : holding) {
            // the export's own audit row is written after the document was read
            long held = count(table + " WHERE user_id = " + id) - (table.equals("audit_log") ? 1 : 0);
            assertEquals(held, ((List<?>) exported.get(table)).size(), table + ": every row");
        }
        assertEquals(1L, count("audit_log WHERE user_id = " + id + " AND action = 'export'"));
        assertTrue(count("events WHERE user_id = " + id) > 0 && count("bookings WHERE user_id = " + id) > 0);

        api().get("/api/users/" + (FROM + 99) + "/export").then().statusCode(404);
    }

    @Test
    void everyErasureAndExportIsAudited() throws Exception {
        long id = FROM + 5;
        seedEverywhere(id);
        Instant before = Instant.now().minusSeconds(5);
        api().get("/api/users/" + id + "/export").then().statusCode(200);
        api().delete("/api/users/" + id).then().statusCode(200);
        api().delete("/api/users/" + id).then().statusCode(404); // nothing left to erase: not audited again

        List<List<Object>> audit = rows("SELECT action, caller, details FROM audit_log WHERE user_id = " + id + " ORDER BY id");
        assertEquals(2, audit.size());
        assertEquals("export", audit.get(0).get(0));
        assertEquals("erase", audit.get(1).get(0));
        String caller = "key-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("test-api-key".getBytes(StandardCharsets.UTF_8)), 0, 6);
        assertEquals(caller, audit.get(0).get(1));
        assertEquals(caller, audit.get(1).get(1));
        assertTrue(((String) audit.get(1).get(2)).contains("\"events\":2"), "what was erased: " + audit.get(1).get(2));
        assertFalse(((String) audit.get(1).get(2)).contains("zqe"), "no personal data in the audit row");
        Timestamp at = (Timestamp) scalar("SELECT max(occurred_at) FROM audit_log WHERE user_id = " + id);
        assertTrue(at.toInstant().isAfter(before));
        assertEquals(at, scalar("SELECT erased_at FROM erased_users WHERE user_id = " + id), "the tombstone is the audited erasure");
    }

    @Test
    void aKeyWithoutTheEraseRightIsRefused() {
        long id = FROM + 6;
        sql("INSERT INTO users (user_id, username) VALUES (" + id + ", 'zqe_kept')");
        for (String key : List.of("second-test-key", "read-only-key")) {
            given().header("Authorization", "Bearer " + key).delete("/api/users/" + id).then().statusCode(403)
                    .contentType("application/problem+json").body("detail", containsString("erase"));
            given().header("Authorization", "Bearer " + key).get("/api/users/" + id + "/export").then().statusCode(403);
        }
        given().delete("/api/users/" + id).then().statusCode(401);
        assertEquals(1L, count("users WHERE user_id = " + id));
        assertEquals(0L, count("audit_log WHERE user_id = " + id));
    }

    /** Not a timed assertion: prints how long erasing a user with 10,000 events takes (BENCHMARKS.md quotes it). */
    @Test
    void erasureOfAUserWith10000Events() {
        long id = FROM + 7;
        sql("INSERT INTO users (user_id, username) VALUES (" + id + ", 'zqe_busy')",
                "INSERT INTO events (user_id, event_type, details, created_at) SELECT " + id + ", 'view_program', "
                        + "jsonb_build_object('n', n), now() - n * interval '1 minute' FROM generate_series(1, 10000) n");
        long started = System.nanoTime();
        api().delete("/api/users/" + id).then().statusCode(200).body("deleted.events", equalTo(10_000));
        System.out.printf("erasure of a user with 10,000 events: %d ms (HTTP round trip)%n", (System.nanoTime() - started) / 1_000_000);
        assertEquals(0L, count("events WHERE user_id = " + id));
    }

    private static void seedEverywhere(long id) {
        sql("INSERT INTO users (user_id, username, first_name, first_seen_at, last_seen_at) VALUES (" + id + ", 'zqe_exported', 'Ex', '" + T1 + "', '" + T2 + "')",
                "INSERT INTO user_name_history (user_id, username, first_name, first_seen_at, last_seen_at) VALUES (" + id + ", 'zqe_was', 'Ex', '" + T1 + "', '" + T1 + "'), ("
                        + id + ", 'zqe_exported', 'Ex', '" + T2 + "', '" + T2 + "')",
                "INSERT INTO events (user_id, event_type, details, created_at) VALUES (" + id + ", 'start_command', '{\"first_name\": \"Ex\"}', '" + T1 + "'), ("
                        + id + ", 'view_program', NULL, '" + T2 + "')",
                "INSERT INTO bookings (id, user_id, username, first_name, course_id, confirmed, created_at) VALUES (" + id + ", " + id + ", 'zqe_exported', 'Ex', 1, 2, '" + T1 + "')",
                "INSERT INTO free_lesson_registrations (id, user_id, email, registered_at, lesson_type, lesson_date) VALUES ("
                        + id + ", " + id + ", 'ex@example.com', '" + T1 + "', 'cursor_lesson', '2025-05-10')");
    }

    private static void assertErased(long id) {
        assertEquals(0L, count("users WHERE user_id = " + id));
        assertEquals(0L, count("events WHERE user_id = " + id));
        assertEquals(0L, count("user_name_history WHERE user_id = " + id));
        assertEquals(0L, count("bookings WHERE user_id = " + id));
        assertEquals(0L, count("free_lesson_registrations WHERE user_id = " + id));
        assertEquals(-id, ((Number) scalar("SELECT user_id FROM bookings WHERE id = " + id)).longValue());
        assertNull(scalar("SELECT COALESCE(username, first_name) FROM bookings WHERE id = " + id));
        assertEquals(2, ((Number) scalar("SELECT confirmed FROM bookings WHERE id = " + id)).intValue());
        assertNull(scalar("SELECT COALESCE(email, username, first_name) FROM free_lesson_registrations WHERE id = " + id));
        assertEquals(LocalDate.parse("2025-05-10"), ((java.sql.Date) scalar("SELECT lesson_date FROM free_lesson_registrations WHERE id = " + id)).toLocalDate());
    }

    private static UserSeen seen(long id, String username, Instant at) {
        return UserSeen.of(new TelegramUser(id, false, username, "Eve", "Adams", "en", false), at, null, null);
    }

    private static ObjectNode names(String username, String firstName) {
        return RecordJson.MAPPER.createObjectNode().put("username", username).put("first_name", firstName);
    }

    /** Publishes with an explicit key: the partition, and so the order among records of that key. */
    private static void publish(String topic, long key, RegistryRecord record) {
        KafkaTestClient.produce(KafkaResource.bootstrapServers(), topic, Long.toString(key), RecordJson.write(record));
    }

    private static long count(String fromWhere) {
        return ((Number) scalar("SELECT count(*) FROM " + fromWhere)).longValue();
    }

    /** The API's form of a time: ISO-8601 UTC with milliseconds. */
    private static String iso(Instant at) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC).format(at);
    }

    /** Rows as lists; timestamps as Instants, dates as LocalDates. */
    private static List<List<Object>> rows(String query) throws Exception {
        List<List<Object>> result = new ArrayList<>();
        try (Connection connection = db(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<Object> row = new ArrayList<>();
                for (int column = 1; column <= columns; column++) {
                    Object value = rows.getObject(column);
                    if (value instanceof Timestamp time) {
                        value = time.toInstant();
                    } else if (value instanceof java.sql.Date date) {
                        value = date.toLocalDate();
                    }
                    row.add(value);
                }
                result.add(row);
            }
        }
        return result;
    }
}
