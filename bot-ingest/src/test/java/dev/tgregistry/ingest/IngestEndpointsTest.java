package dev.tgregistry.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient.TopicWatch;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;

import static dev.tgregistry.localstack.Urls.at;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Posts to bot-ingest over HTTP and reads what it published back from the real broker. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
class IngestEndpointsTest {
    /** The management interface's root, {@code http://localhost:<random port>/q}. */
    @TestHTTPResource(value = "", management = true)
    URL management;

    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    static final String SECRET = "test-ingest-secret";

    private TopicWatch userSeen;
    private TopicWatch events;
    private TopicWatch bookings;
    private TopicWatch freeLessons;

    @BeforeEach
    void watchTopics() {
        userSeen = new TopicWatch(KafkaResource.bootstrapServers(), Topics.USER_SEEN);
        events = new TopicWatch(KafkaResource.bootstrapServers(), Topics.BOT_EVENTS);
        bookings = new TopicWatch(KafkaResource.bootstrapServers(), Topics.BOOKINGS);
        freeLessons = new TopicWatch(KafkaResource.bootstrapServers(), Topics.FREE_LESSONS);
    }

    @AfterEach
    void closeWatches() {
        userSeen.close();
        events.close();
        bookings.close();
        freeLessons.close();
    }

    @Test
    void messageUpdateIsPublishedKeyedByUser() throws IOException {
        given().header(SECRET_HEADER, SECRET).contentType(ContentType.JSON).body(fixture("message"))
                .when().post("/telegram/updates")
                .then().statusCode(202).body("accepted", equalTo(1));

        ConsumerRecord<String, String> record = only(userSeen.awaitAny(r -> r.key().equals("95450323"), Duration.ofSeconds(10)));
        JsonNode json = RecordJson.MAPPER.readTree(record.value());
        assertEquals(1, json.get("schema_version").asInt());
        assertEquals("Сергей", json.at("/user/first_name").asText());
        assertEquals("serejaris", json.at("/user/username").asText());
        assertEquals("2025-11-20T10:35:00Z", json.get("seen_at").asText());
        assertEquals("message", json.at("/source/kind").asText());
    }

    /**
     * Tracing: the caller's W3C trace context (here a made-up parent) continues through the HTTP request into the
     * records' {@code traceparent} header, as a new span (the publish span) of the same trace.
     */
    @Test
    void recordsCarryTheRequestsTraceContext() throws IOException {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String callerSpan = "00f067aa0ba902b7";
        given().header(SECRET_HEADER, SECRET).header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .contentType(ContentType.JSON).body(fixture("message"))
                .when().post("/telegram/updates")
                .then().statusCode(202);

        ConsumerRecord<String, String> record = only(userSeen.awaitAny(r -> r.key().equals("95450323"), Duration.ofSeconds(10)));
        org.apache.kafka.common.header.Header traceparent = record.headers().lastHeader("traceparent");
        assertTrue(traceparent != null, "no traceparent header on the record");
        String[] parts = new String(traceparent.value(), java.nio.charset.StandardCharsets.UTF_8).split("-");
        assertEquals(traceId, parts[1], "same trace as the request");
        assertFalse(parts[2].equals(callerSpan), "a span of bot-ingest's own (the publish span) is the parent");
        assertEquals("01", parts[3], "sampled");
    }

    @Test
    void arrayOfUpdatesPublishesOnlyThoseWithAUser() throws IOException {
        String body = "[" + fixture("callback_query") + "," + fixture("channel_post") + "," + fixture("poll_answer") + "]";
        given().header(SECRET_HEADER, SECRET).contentType(ContentType.JSON).body(body)
                .when().post("/telegram/updates")
                .then().statusCode(202).body("accepted", equalTo(2));

        List<String> keys = userSeen.awaitAny(r -> r.key().equals("1008"), Duration.ofSeconds(10))
                .stream().map(ConsumerRecord::key).sorted().toList();
        assertEquals(List.of("1003", "1008"), keys);
    }

    @Test
    void updateWithoutUserIsAcceptedAndPublishesNothing() throws IOException {
        given().header(SECRET_HEADER, SECRET).contentType(ContentType.JSON).body(fixture("poll"))
                .when().post("/telegram/updates")
                .then().statusCode(202).body("accepted", equalTo(0));
        assertTrue(userSeen.drain(Duration.ofSeconds(1)).isEmpty());
    }

    @Test
    void botEventWithSnapshotIsAnEventAndASighting() throws IOException {
        String event = """
                {"user_id": 95450324, "event_type": "view_program", "details": {"course_id": 1},
                 "occurred_at": "2026-11-20T10:15:00Z",
                 "user": {"id": 95450324, "username": "someone", "first_name": "Some", "language_code": "ru"}}""";
        given().header(SECRET_HEADER, SECRET).contentType(ContentType.JSON).body(event)
                .when().post("/bot/events").then().statusCode(202).body("accepted", equalTo(1));
        given().header(SECRET_HEADER, SECRET).contentType(ContentType.JSON).body(event)
                .when().post("/bot/events").then().statusCode(202).body("accepted", equalTo(1));

        List<ConsumerRecord<String, String>> published = events.awaitAny(r -> false, Duration.ofSeconds(3));
        assertEquals(2, published.size());
        String firstId = RecordJson.MAPPER.readTree(published.get(0).value()).get("event_id").asText();
        String retryId = RecordJson.MAPPER.readTree(published.get(1).value()).get("event_id").asText();
        assertFalse(firstId.isBlank());
        assertEquals(firstId, retryId, "a retried POST without event_id keeps the derived id");

        JsonNode sighting = RecordJson.MAPPER.readTree(
                only(userSeen.awaitAny(r -> true, Duration.ofSeconds(10)).subList(0, 1)).value());
        assertEquals("someone", sighting.at("/user/username").asText());
        assertEquals("2026-11-20T10:15:00Z", sighting.get("seen_at").asText());
    }

    @Test
    void bookingsAndFreeLessonsArePublished() throws IOException {
        given().header(SECRET_HEADER, SECRET).contentType(ContentType.JSON).body("""
                        [{"id": 1001, "user_id": 123456789, "username": "alex_smith", "first_name": "Alex",
                          "course_id": 1, "course_stream": "4th_stream", "confirmed": 2,
                          "created_at": "2025-09-01T10:30:00Z", "referral_code": "FRIEND20",
                          "discount_percent": 20, "changed_at": "2025-09-02T08:00:00Z"}]""")
                .when().post("/bot/bookings").then().statusCode(202).body("accepted", equalTo(1));
        given().header(SECRET_HEADER, SECRET).contentType(ContentType.JSON).body("""
                        {"id": 5001, "user_id": 987654321, "username": "maria_jones", "first_name": "Maria",
                         "email": "maria@example.com", "lesson_type": "intro_to_python",
                         "lesson_date": "2025-09-05", "registered_at": "2025-09-02T14:15:00Z", "notification_sent": true}""")
                .when().post("/bot/free-lessons").then().statusCode(202).body("accepted", equalTo(1));

        JsonNode booking = RecordJson.MAPPER.readTree(only(bookings.awaitAny(r -> true, Duration.ofSeconds(10))).value());
        assertEquals("4th_stream", booking.get("course_stream").asText());
        assertEquals(2, booking.get("confirmed").asInt());
        JsonNode registration = RecordJson.MAPPER.readTree(only(freeLessons.awaitAny(r -> true, Duration.ofSeconds(10))).value());
        assertEquals("2025-09-05", registration.get("lesson_date").asText());
        assertEquals("987654321", freeLessons.drain(Duration.ZERO).get(0).key());
    }

    @Test
    void missingOrWrongSecretIs401() {
        given().contentType(ContentType.JSON).body("{\"update_id\": 1}")
                .when().post("/telegram/updates")
                .then().statusCode(401).contentType("application/problem+json")
                .body("status", equalTo(401)).body("error", containsString("missing"));
        given().header(SECRET_HEADER, "wrong").contentType(ContentType.JSON).body("{}")
                .when().post("/bot/events")
                .then().statusCode(401).body("error", containsString("wrong"));
    }

    @Test
    void theSecretIsCheckedBeforeRouting() {
        given().contentType(ContentType.JSON).body("{}").when().post("/bot/no-such-route")
                .then().statusCode(401).contentType("application/problem+json");
        given().header(SECRET_HEADER, "test-ingest-secret").contentType(ContentType.JSON).body("{}")
                .when().post("/bot/no-such-route").then().statusCode(404);
    }

    @Test
    void readinessIncludesTheKafkaProducer() {
        given().get(at(management, "/health/ready")).then().statusCode(200).body(containsString("records-out"));
        given().get(at(management, "/health/live")).then().statusCode(200);
    }

    /** bot-ingest faces the internet: health, metrics and API docs are on the management port only. */
    @Test
    void operationsEndpointsAreOnlyOnTheManagementPort() {
        for (String path : java.util.List.of("/q/health/ready", "/q/metrics", "/q/openapi")) {
            given().get(path).then().statusCode(404);
        }
        given().get(at(management, "/metrics")).then().statusCode(200);
        given().get(at(management, "/openapi")).then().statusCode(200).body(containsString("/telegram/updates"));
    }

    static String fixture(String name) throws IOException {
        try (InputStream json = IngestEndpointsTest.class.getResourceAsStream("/updates/" + name + ".json")) {
            return new String(json.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static ConsumerRecord<String, String> only(List<ConsumerRecord<String, String>> records) {
        assertEquals(1, records.size(), () -> "expected exactly one record, got " + records);
        return records.get(0);
    }
}
