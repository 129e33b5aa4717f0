package dev.tgregistry.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient.TopicWatch;
import dev.tgregistry.localstack.RawHttp;
import dev.tgregistry.localstack.hostile.HostileSuite;
import dev.tgregistry.localstack.hostile.OpenApiDocument;
import dev.tgregistry.localstack.hostile.Samples;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.tgregistry.localstack.Urls.at;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 27: every operation of the committed {@code docs/openapi/bot-ingest.yaml}, every request-body field (schema
 * properties with their {@code $ref}s, and the sample's own members, e.g. a Telegram update's {@code message.from.id}),
 * gets hostile values while everything else stays valid, with the secret and, for a sample, without it. Never a
 * 5xx; every 4xx is problem+json; an authorised 4xx names the field; no metric series for a path that is not a
 * route; and an update still becomes a sighting on Kafka afterwards. See local-stack's
 * {@code dev.tgregistry.localstack.hostile}; the report (every failure) is also written to
 * {@code target/hostile-input-bot-ingest.txt}. Telegram user ids 9_630_000_000..9_630_999_999 (user-service's
 * HOSTILE_INPUT range).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {
    private static final long USER = 9_630_000_001L;
    private static final long CANARY = 9_630_000_901L;

    @TestHTTPResource("/")
    URL api;

    @TestHTTPResource(value = "", management = true)
    URL management;

    /**
     * The document describes the records but offers no example of them (and of a Telegram update only update_id):
     * the samples are API.md's examples.
     */
    static Samples samples() {
        return new Samples()
                .body("POST /telegram/updates", update(963_000_001L, USER))
                .body("POST /bot/events", "{\"event_id\": \"hostile-1\", \"user_id\": " + USER + ", \"event_type\": \"view_program\","
                        + " \"details\": {\"course_id\": 1}, \"occurred_at\": \"2026-11-20T10:15:00Z\","
                        + " \"user\": {\"id\": " + USER + ", \"username\": \"hostile_one\", \"first_name\": \"Hostile\","
                        + " \"last_name\": \"One\", \"language_code\": \"en\"}}")
                .body("POST /bot/bookings", "{\"id\": 9630000101, \"user_id\": " + USER + ", \"username\": \"hostile_one\","
                        + " \"first_name\": \"Hostile\", \"course_id\": 1, \"course_stream\": \"4th_stream\", \"confirmed\": 2,"
                        + " \"created_at\": \"2026-09-01T10:30:00Z\", \"referral_code\": \"FRIEND20\", \"discount_percent\": 20,"
                        + " \"changed_at\": \"2026-09-02T08:00:00Z\"}")
                .body("POST /bot/free-lessons", "{\"id\": 9630000201, \"user_id\": " + USER + ", \"username\": \"hostile_one\","
                        + " \"first_name\": \"Hostile\", \"email\": \"hostile@example.com\", \"lesson_type\": \"intro_to_python\","
                        + " \"lesson_date\": \"2026-09-05\", \"registered_at\": \"2026-09-02T14:15:00Z\", \"notification_sent\": true}");
    }

    static String update(long updateId, long userId) {
        return "{\"update_id\": " + updateId + ", \"message\": {\"message_id\": 1, \"date\": 1763634900, \"text\": \"/start\","
                + " \"from\": {\"id\": " + userId + ", \"is_bot\": false, \"first_name\": \"Hostile\", \"username\": \"hostile_one\"},"
                + " \"chat\": {\"id\": " + userId + ", \"type\": \"private\"}}}";
    }

    @Test
    @Order(1)
    void everyOperationAnswersHostileValuesWithoutA5xxAndNamesTheCulprit() throws Exception {
        HostileSuite suite = new HostileSuite("bot-ingest", OpenApiDocument.load(OpenApiDocument.committed("bot-ingest.yaml")),
                samples(), api, new URL(at(management, "/metrics")),
                RawHttp.Header.of(IngestEndpointsTest.SECRET_HEADER, IngestEndpointsTest.SECRET));
        HostileSuite.Report report = suite.run();
        report.write(Path.of("target", "hostile-input-bot-ingest.txt"));
        System.out.println(report.summary());
        if (!report.failures().isEmpty()) {
            System.out.println(report.failureText());
        }
        assertTrue(report.failures().isEmpty(), report.failureText());
    }

    @Test
    @Order(2)
    void anUpdateStillBecomesASightingAfterwards() throws Exception {
        try (TopicWatch userSeen = new TopicWatch(KafkaResource.bootstrapServers(), Topics.USER_SEEN)) {
            given().header(IngestEndpointsTest.SECRET_HEADER, IngestEndpointsTest.SECRET).contentType(ContentType.JSON)
                    .body(update(963_000_901L, CANARY)).post("/telegram/updates")
                    .then().statusCode(202).body("accepted", equalTo(1));
            List<ConsumerRecord<String, String>> seen = userSeen.awaitAny(r -> r.key().equals(Long.toString(CANARY)), Duration.ofSeconds(20));
            ConsumerRecord<String, String> record = seen.stream().filter(r -> r.key().equals(Long.toString(CANARY))).findFirst()
                    .orElseThrow(() -> new AssertionError("no sighting of " + CANARY + " on " + Topics.USER_SEEN + " since " + Instant.now()));
            JsonNode json = RecordJson.MAPPER.readTree(record.value());
            assertEquals(CANARY, json.at("/user/id").asLong());
            assertEquals("hostile_one", json.at("/user/username").asText());
        }
    }
}
