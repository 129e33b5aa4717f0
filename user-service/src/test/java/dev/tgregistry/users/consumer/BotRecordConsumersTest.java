package dev.tgregistry.users.consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.model.BookingChanged;
import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.FreeLessonRegistered;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.RegistryRecord;
import dev.tgregistry.model.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import static dev.tgregistry.localstack.Urls.at;
import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bot events, bookings and registrations through the real broker into their tables. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class BotRecordConsumersTest {
    /** The management interface's root, {@code http://localhost:<random port>/q}. */
    @TestHTTPResource(value = "", management = true)
    URL management;

    private static final Instant T1 = Instant.parse("2026-02-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-02-02T10:00:00Z");

    @Test
    void eventDeliveredThreeTimesIsStoredOnceAndNamesItsUser() {
        ObjectNode details = RecordJson.MAPPER.createObjectNode().put("username", "from_details").put("first_name", "Детали");
        BotEvent event = new BotEvent(1, "evt-601-a", 601L, "start_command", details, T1, null);
        publish(Topics.BOT_EVENTS, event);
        publish(Topics.BOT_EVENTS, event);
        publish(Topics.BOT_EVENTS, event);
        publish(Topics.BOT_EVENTS, new BotEvent(1, "evt-601-b", 601L, "view_program", null, T2, null));

        await().atMost(Duration.ofSeconds(15)).until(() -> count("SELECT count(*) FROM events WHERE user_id = 601") == 2);
        assertEquals(1L, scalar("SELECT count(*) FROM events WHERE event_id = 'evt-601-a'"));
        assertEquals("Детали", scalar("SELECT details ->> 'first_name' FROM events WHERE event_id = 'evt-601-a'"));
        api().get("/api/users/601").then().statusCode(200)
                .body("user.username", equalTo("from_details"))
                .body("user.first_seen_at", equalTo("2026-02-01T10:00:00.000Z"))
                .body("user.last_seen_at", equalTo("2026-02-02T10:00:00.000Z"))
                .body("events.size()", equalTo(2));
    }

    @Test
    void eventReportingA403MarksTheUserInactive() {
        ObjectNode details = RecordJson.MAPPER.createObjectNode().put("error_code", 403).put("description", "Forbidden: bot was blocked by the user");
        publish(Topics.BOT_EVENTS, new BotEvent(1, "evt-602", 602L, "message_send_failed", details, T1, null));
        await().atMost(Duration.ofSeconds(15)).until(() -> Boolean.FALSE.equals(scalar("SELECT is_active FROM users WHERE user_id = 602")));
    }

    @Test
    void newestBookingChangeWinsWhateverTheArrivalOrder() {
        BookingChanged confirmed = new BookingChanged(1, 6031L, 603L, "booker", "Bo", 1, "6th_stream", 2, T1, null, 10, T2);
        BookingChanged created = new BookingChanged(1, 6031L, 603L, "booker", "Bo", 1, "6th_stream", 0, T1, null, 10, T1);
        publish(Topics.BOOKINGS, confirmed);
        publish(Topics.BOOKINGS, created); // older change, arriving late
        publish(Topics.BOOKINGS, new BookingChanged(1, 6032L, 603L, "booker", "Bo", 2, "mentoring", 1, T2, null, 0, T2));

        await().atMost(Duration.ofSeconds(15)).until(() -> count("SELECT count(*) FROM bookings WHERE user_id = 603") == 2);
        assertEquals(2, ((Number) scalar("SELECT confirmed FROM bookings WHERE id = 6031")).intValue());
        api().get("/api/users/603").then().statusCode(200)
                .body("user.display_name", equalTo("@booker"))
                .body("bookings.size()", equalTo(2));
    }

    @Test
    void registrationsAreUpsertedAndReminderStaysSent() {
        FreeLessonRegistered sent = new FreeLessonRegistered(1, 6041L, 604L, "learner", "Le", "le@example.com",
                "intro_to_python", LocalDate.parse("2026-02-10"), T1, true);
        FreeLessonRegistered replayedBeforeReminder = new FreeLessonRegistered(1, 6041L, 604L, "learner", "Le", "le@example.com",
                "intro_to_python", LocalDate.parse("2026-02-10"), T1, false);
        publish(Topics.FREE_LESSONS, sent);
        publish(Topics.FREE_LESSONS, replayedBeforeReminder);
        publish(Topics.FREE_LESSONS, new FreeLessonRegistered(1, 6042L, 604L, "learner", "Le", "le2@example.com",
                "cursor_lesson", LocalDate.parse("2026-02-11"), T2, false));

        await().atMost(Duration.ofSeconds(15)).until(() -> count("SELECT count(*) FROM free_lesson_registrations WHERE user_id = 604") == 2);
        assertEquals(Boolean.TRUE, scalar("SELECT notification_sent FROM free_lesson_registrations WHERE id = 6041"));
        api().get("/api/users/604").then().statusCode(200).body("free_lessons.size()", equalTo(2));
    }

    @Test
    void consumptionIsMeasured() {
        publish(Topics.BOT_EVENTS, new BotEvent(1, "evt-605", 605L, "start_command", null, T1, null));
        await().atMost(Duration.ofSeconds(15)).until(() -> count("SELECT count(*) FROM events WHERE event_id = 'evt-605'") == 1);
        io.restassured.RestAssured.given().get(at(management, "/metrics")).then().statusCode(200)
                .body(containsString("registry_records_consumed_total{topic=\"bot.events.v1\""))
                .body(containsString("registry_batch_write_seconds_count{topic=\"bot.events.v1\""))
                .body(containsString("registry_batch_size_count{topic=\"bot.events.v1\""))
                .body(containsString("kafka_consumer_fetch_manager_records_lag"));
    }

    private static void publish(String topic, RegistryRecord record) {
        KafkaTestClient.produce(KafkaResource.bootstrapServers(), topic, record.key(), RecordJson.write(record));
    }

    private static long count(String query) {
        return ((Number) scalar(query)).longValue();
    }
}
