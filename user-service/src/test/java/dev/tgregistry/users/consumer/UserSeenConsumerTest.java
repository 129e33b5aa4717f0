package dev.tgregistry.users.consumer;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient;
import dev.tgregistry.localstack.KafkaTestClient.TopicWatch;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.Topics;
import dev.tgregistry.model.UserSeen;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records produced to the real broker, applied by the consumer, read back through the REST API and SQL. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class UserSeenConsumerTest {
    @Inject
    UserWriter writer;

    private static final Instant T1 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-01-02T10:00:00Z");
    private static final Instant T3 = Instant.parse("2026-01-03T10:00:00Z");

    @Test
    void sightingBecomesAUser() {
        sight(UserSeen.of(user(501, "serejaris", "Сергей", null, "ru"), T1, null, null));

        awaitUser(501).body("user.username", equalTo("serejaris"))
                .body("user.user_id", equalTo("501"))
                .body("user.display_name", equalTo("@serejaris"))
                .body("user.first_name", equalTo("Сергей"))
                .body("user.language_code", equalTo("ru"))
                .body("user.first_seen_at", equalTo("2026-01-01T10:00:00.000Z"));
    }

    @Test
    void olderSnapshotArrivingLateDoesNotOverwriteNewerName() {
        sight(UserSeen.of(user(502, "new_name", "New", null, "en"), T2, null, null));
        awaitUser(502).body("user.username", equalTo("new_name"));

        sight(UserSeen.of(user(502, "old_name", "Old", null, "de"), T1, null, null));
        // the late record is applied once first_seen_at moved back to its time
        await().atMost(Duration.ofSeconds(15)).until(() -> "2026-01-01T10:00:00.000Z".equals(
                api().get("/api/users/502").then().extract().path("user.first_seen_at")));
        api().get("/api/users/502").then()
                .body("user.username", equalTo("new_name"))
                .body("user.first_name", equalTo("New"))
                .body("user.language_code", equalTo("en"))
                .body("user.last_seen_at", equalTo("2026-01-02T10:00:00.000Z"));
        assertEquals(1L, scalar("SELECT count(*) FROM user_name_history WHERE user_id = 502 AND username = 'old_name'"),
                "the late name is a former name");
        assertEquals(0L, scalar("SELECT count(*) FROM user_name_history WHERE user_id = 502 AND username = 'new_name'"),
                "the current name lives in users alone");
    }

    @Test
    void redeliveredRecordHasOneEffect() {
        UserSeen seen = UserSeen.of(user(503, "triple", "Tri", null, null), T1, null, null);
        sight(seen);
        sight(seen);
        sight(seen);
        sight(UserSeen.of(user(503, "triple", "Tri", null, null), T3, null, null));
        await().atMost(Duration.ofSeconds(15)).until(() -> "2026-01-03T10:00:00.000Z".equals(
                api().get("/api/users/503").then().extract().path("user.last_seen_at")));

        assertEquals(0L, scalar("SELECT count(*) FROM user_name_history WHERE user_id = 503"), "one name, current: no history row");
        assertEquals(1L, scalar("SELECT count(*) FROM users WHERE user_id = 503 AND name_since = timestamptz '2026-01-01 10:00:00+00'"));
    }

    /**
     * docs/API.md "Times of sightings": a sighting that changes nothing and is under a minute newer is not written.
     * Each call is one batch, written by the consumer's own writer (through Kafka, batching would depend on timing).
     */
    @Test
    void lastSeenIsKeptToTheMinute() {
        TelegramUser same = user(507, "stepper", "Step", null, "en");
        apply(UserSeen.of(same, T1, null, null));
        apply(UserSeen.of(same, T1.plusSeconds(30), null, null));
        assertEquals(T1, lastSeen(507), "30 s later, nothing changed: not written");
        // an older sighting is written (first seen moves back) and keeps the stored last seen
        apply(UserSeen.of(same, T1.minus(Duration.ofDays(10)), null, null));
        assertEquals(T1.minus(Duration.ofDays(10)), ((java.sql.Timestamp) scalar("SELECT first_seen_at FROM users WHERE user_id = 507")).toInstant());
        assertEquals(T1, lastSeen(507));

        apply(UserSeen.of(same, T1.plusSeconds(60), null, null));
        assertEquals(T1.plusSeconds(60), lastSeen(507), "a minute later: written");

        // a changed name is written at once, with its exact time, however close to the last write
        apply(UserSeen.of(user(507, "stepper", "Renamed", null, "en"), T1.plusSeconds(61), null, null));
        api().get("/api/users/507").then()
                .body("user.first_name", equalTo("Renamed"))
                .body("user.last_seen_at", equalTo("2026-01-01T10:01:01.000Z"));
        assertEquals(1L, scalar("SELECT count(*) FROM user_name_history WHERE user_id = 507"), "the replaced name only");
        assertEquals(T1.plusSeconds(60), ((java.sql.Timestamp) scalar(
                "SELECT last_seen_at FROM user_name_history WHERE user_id = 507 AND first_name = 'Step'")).toInstant());
    }

    /** Telegram dates are whole seconds: a rename in the same second as the stored snapshot, in a later batch, wins. */
    @Test
    void renameInTheSameSecondAsTheStoredSnapshotWins() {
        apply(UserSeen.of(user(508, "same_second", "Before", null, null), T1, null, null));
        apply(UserSeen.of(user(508, "same_second", "After", null, null), T1, null, null));
        api().get("/api/users/508").then().body("user.first_name", equalTo("After"));
    }

    private void apply(UserSeen seen) {
        writer.applySightings(List.of(seen)).await().atMost(Duration.ofSeconds(10));
    }

    private static Instant lastSeen(long id) {
        return ((java.sql.Timestamp) scalar("SELECT last_seen_at FROM users WHERE user_id = " + id)).toInstant();
    }

    @Test
    void removedUsernameBecomesNullAndAbsentLanguageIsKept() {
        sight(UserSeen.of(user(504, "had_one", "Ann", "Lee", "fr"), T1, null, null));
        awaitUser(504).body("user.username", equalTo("had_one"));

        sight(UserSeen.of(user(504, null, "Ann", "Lee", null), T2, null, null));
        await().atMost(Duration.ofSeconds(15)).until(() -> api().get("/api/users/504").then().extract().path("user.username") == null);
        api().get("/api/users/504").then()
                .body("user.username", nullValue())
                .body("user.language_code", equalTo("fr"))
                .body("user.display_name", equalTo("Ann Lee"));
    }

    @Test
    void blockThenUnblock() {
        sight(UserSeen.of(user(505, "blocker", "B", null, null), T1, null, null));
        awaitUser(505).body("user.is_active", equalTo(true));

        sight(UserSeen.of(user(505, "blocker", "B", null, null), T2, null, UserSeen.KICKED));
        await().atMost(Duration.ofSeconds(15)).until(() -> Boolean.FALSE.equals(api().get("/api/users/505").then().extract().path("user.is_active")));

        sight(UserSeen.of(user(505, "blocker", "B", null, null), T3, null, UserSeen.MEMBER));
        await().atMost(Duration.ofSeconds(15)).until(() -> Boolean.TRUE.equals(api().get("/api/users/505").then().extract().path("user.is_active")));
    }

    @Test
    void poisonRecordGoesToTheDeadLetterTopicAndConsumptionGoesOn() {
        try (TopicWatch dlq = new TopicWatch(KafkaResource.bootstrapServers(), Topics.deadLetterOf(Topics.USER_SEEN))) {
            KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.USER_SEEN, "506", "{not json");
            KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.USER_SEEN, "506",
                    "{\"schema_version\": 1, \"user\": {\"id\": -3}, \"seen_at\": \"2026-01-01T10:00:00Z\"}");
            sight(UserSeen.of(user(506, "after_poison", "P", null, null), T1, null, null));

            awaitUser(506).body("user.username", equalTo("after_poison"));
            List<ConsumerRecord<String, String>> dead = dlq.awaitAny(record -> record.value().contains("-3"), Duration.ofSeconds(15));
            assertEquals(2, dead.size());
            assertEquals("{not json", dead.get(0).value());
            String reason = new String(dead.get(1).headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8);
            assertTrue(reason.contains("user.id"), reason);
            assertEquals(Topics.USER_SEEN,
                    new String(dead.get(0).headers().lastHeader(DeadLetters.ORIGINAL_TOPIC).value(), StandardCharsets.UTF_8));
        }
    }

    static TelegramUser user(long id, String username, String firstName, String lastName, String language) {
        return new TelegramUser(id, false, username, firstName, lastName, language, null);
    }

    static void sight(UserSeen seen) {
        KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.USER_SEEN, seen.key(), RecordJson.write(seen));
    }

    static io.restassured.response.ValidatableResponse awaitUser(long id) {
        await().atMost(Duration.ofSeconds(15)).until(() -> api().get("/api/users/" + id).statusCode() == 200);
        return api().get("/api/users/" + id).then().statusCode(200);
    }
}
