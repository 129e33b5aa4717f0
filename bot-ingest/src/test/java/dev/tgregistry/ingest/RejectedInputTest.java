package dev.tgregistry.ingest;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient.TopicWatch;
import dev.tgregistry.model.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bad input gets a 4xx problem naming what is wrong, and nothing of the request reaches Kafka. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
class RejectedInputTest {
    private static final String GOOD_EVENT = "{\"user_id\": 5, \"event_type\": \"start_command\"}";
    private static final List<TopicWatch> WATCHES = new ArrayList<>();

    @BeforeAll
    static void watchAllTopics() {
        for (String topic : List.of(Topics.USER_SEEN, Topics.BOT_EVENTS, Topics.BOOKINGS, Topics.FREE_LESSONS)) {
            WATCHES.add(new TopicWatch(KafkaResource.bootstrapServers(), topic));
        }
    }

    @AfterAll
    static void nothingWasPublished() {
        for (TopicWatch watch : WATCHES) {
            assertEquals(List.of(), watch.drain(Duration.ofSeconds(2)), "a rejected request published records");
            watch.close();
        }
        WATCHES.clear();
    }

    static Stream<Arguments> badRequests() {
        String event1001 = "[" + String.join(",", java.util.Collections.nCopies(1001, GOOD_EVENT)) + "]";
        return Stream.of(
                Arguments.of("/telegram/updates", "{\"update_id\": ", 400, "malformed JSON"),
                Arguments.of("/telegram/updates", "", 400, "empty"),
                Arguments.of("/telegram/updates", "42", 400, "JSON object"),
                Arguments.of("/telegram/updates", "{\"message\": {\"date\": 1, \"from\": {\"id\": 7}}}", 400, "update_id"),
                Arguments.of("/telegram/updates", "{\"update_id\": \"one\", \"message\": {\"from\": {\"id\": 7}}}", 400, "update_id"),
                Arguments.of("/telegram/updates", "{\"update_id\": 1, \"message\": {\"date\": 1, \"from\": {\"id\": \"abc\"}}}", 400, "message.from.id"),
                Arguments.of("/telegram/updates", "{\"update_id\": 1, \"message\": {\"date\": 1, \"from\": {\"id\": -7}}}", 400, "message.from.id"),
                Arguments.of("/telegram/updates", "{\"update_id\": 1, \"message\": {\"date\": \"today\", \"from\": {\"id\": 7}}}", 400, "message.date"),
                Arguments.of("/telegram/updates", "[{\"update_id\": 1, \"message\": {\"date\": 1, \"from\": {\"id\": 7}}}, {\"update_id\": 2, \"message\": {\"date\": 1, \"from\": 3}}]", 400, "[1].message.from"),
                Arguments.of("/bot/events", event1001, 400, "at most 1000"),
                Arguments.of("/bot/events", "{\"event_type\": \"start_command\"}", 400, "user_id"),
                Arguments.of("/bot/events", "{\"user_id\": 0, \"event_type\": \"start_command\"}", 400, "user_id"),
                Arguments.of("/bot/events", "{\"user_id\": \"abc\", \"event_type\": \"start_command\"}", 400, "user_id"),
                Arguments.of("/bot/events", "{\"user_id\": 5}", 400, "event_type"),
                Arguments.of("/bot/events", "{\"user_id\": 5, \"event_type\": \"" + "x".repeat(51) + "\"}", 400, "event_type"),
                Arguments.of("/bot/events", "{\"user_id\": 5, \"event_type\": \"a\", \"details\": [1, 2]}", 400, "details"),
                Arguments.of("/bot/events", "{\"user_id\": 5, \"event_type\": \"a\", \"occurred_at\": \"yesterday\"}", 400, "occurred_at"),
                Arguments.of("/bot/events", "{\"user_id\": 5, \"event_type\": \"a\", \"user\": {\"id\": 6}}", 400, "user.id"),
                Arguments.of("/bot/events", "[" + GOOD_EVENT + ", {\"user_id\": -1, \"event_type\": \"a\"}]", 400, "[1].user_id"),
                // what PostgreSQL cannot store never gets a 202: NUL, lone surrogates, odd times, oversized names
                Arguments.of("/bot/events", "{\"user_id\": 5, \"event_type\": \"a\", \"details\": {\"k\": \"a\\u0000b\"}}", 400, "details.k"),
                Arguments.of("/bot/events", "{\"user_id\": 5, \"event_type\": \"a\\u0000\"}", 400, "event_type"),
                Arguments.of("/bot/events", "{\"user_id\": 5, \"event_type\": \"a\", \"user\": {\"id\": 5, \"first_name\": \"x\\ud800\"}}", 400, "user.first_name"),
                Arguments.of("/bot/events", "{\"user_id\": 5, \"event_type\": \"a\", \"user\": {\"id\": 5, \"first_name\": \"" + "漢".repeat(256) + "\"}}", 400, "user.first_name"),
                Arguments.of("/bot/events", "{\"user_id\": 5, \"event_type\": \"a\", \"occurred_at\": \"9999-01-01T00:00:00Z\"}", 400, "occurred_at"),
                Arguments.of("/bot/bookings", "{\"id\": 1, \"user_id\": 5, \"changed_at\": \"1969-12-31T00:00:00Z\"}", 400, "changed_at"),
                Arguments.of("/bot/free-lessons", "{\"id\": 1, \"user_id\": 5, \"email\": \"a@b.cc\", \"lesson_date\": \"3000-01-01\"}", 400, "lesson_date"),
                Arguments.of("/bot/free-lessons", "{\"id\": 1, \"user_id\": 5, \"email\": \"a\\u0000@b.cc\"}", 400, "email"),
                Arguments.of("/bot/bookings", "{\"user_id\": 5, \"confirmed\": 2}", 400, "id"),
                Arguments.of("/bot/bookings", "{\"id\": 1, \"user_id\": 5, \"confirmed\": 5}", 400, "confirmed"),
                Arguments.of("/bot/bookings", "{\"id\": 1, \"user_id\": 5, \"created_at\": \"not-a-date\"}", 400, "created_at"),
                Arguments.of("/bot/free-lessons", "{\"id\": 1, \"user_id\": 5}", 400, "email"),
                Arguments.of("/bot/free-lessons", "{\"id\": 1, \"user_id\": 5, \"email\": \"a@b.c\", \"lesson_date\": \"2025-13-45\"}", 400, "lesson_date"),
                Arguments.of("/bot/free-lessons", "[\"not an object\"]", 400, "[0]"),
                // strict JSON: ids are JSON integers or digit strings, one value per member, numbers a double can hold
                Arguments.of("/bot/events", "{\"user_id\": 12.5, \"event_type\": \"a\"}", 400, "user_id"),
                Arguments.of("/bot/events", "{\"user_id\": 1e3, \"event_type\": \"a\"}", 400, "user_id"),
                Arguments.of("/bot/events", "{\"user_id\": 1.0, \"event_type\": \"a\"}", 400, "user_id"),
                Arguments.of("/bot/events", "{\"user_id\": \" 123\", \"event_type\": \"a\"}", 400, "user_id"),
                Arguments.of("/bot/events", "{\"user_id\": 5, \"event_type\": \"a\", \"user_id\": 6}", 400, "user_id"),
                Arguments.of("/telegram/updates", "{\"update_id\": 1, \"message\": {\"date\": 1, \"from\": {\"id\": 7, \"is_bot\": false, \"is_bot\": true}}}", 400, "is_bot"),
                Arguments.of("/bot/events", "{\"user_id\": 5, \"event_type\": \"a\", \"details\": {\"n\": 1e400}}", 400, "details.n"),
                Arguments.of("/bot/bookings", "{\"id\": 1, \"user_id\": 5, \"created_at\": \"2025-09-02T08:00:00Z\", \"changed_at\": \"2025-09-01T08:00:00Z\"}", 400, "changed_at"),
                Arguments.of("/bot/bookings", "{\"id\": 1, \"user_id\": \"5\", \"confirmed\": 2.5}", 400, "confirmed"),
                Arguments.of("/bot/events", "{\"user_id\": 5, \"event_type\": \"a\", \"details\": {\"x\": " + "[".repeat(2000) + "]".repeat(2000) + "}}", 400, "details.x"),
                Arguments.of("/telegram/updates", "{\"update_id\": 1, \"message\": {\"date\": 1, \"from\": {\"id\": 7, \"is_bot\": \"yes\"}}}", 400, "message.from.is_bot"),
                Arguments.of("/telegram/updates", "{\"update_id\": 1, \"message\": {\"date\": 1, \"from\": {\"id\": -9223372036854775809}}}", 400, "message.from.id"),
                Arguments.of("/bot/events", "{\"user_id\": 5, \"event_type\": \"a\", \"padding\": \"" + "p".repeat(1_100_000) + "\"}", 413, "exceeds"));
    }

    @ParameterizedTest(name = "{0} {3} -> {2}")
    @MethodSource("badRequests")
    void isRejectedWithAProblem(String path, String body, int status, String detailMentions) {
        given().header(IngestEndpointsTest.SECRET_HEADER, IngestEndpointsTest.SECRET)
                .contentType(ContentType.JSON).body(body)
                .when().post(path)
                .then().statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("detail", containsString(detailMentions))
                .body("detail", not(matchesPattern("(?s).*(java\\.|com\\.fasterxml|Constraints\\.|`).*")))
                .body("error", containsString(detailMentions));
    }
}
