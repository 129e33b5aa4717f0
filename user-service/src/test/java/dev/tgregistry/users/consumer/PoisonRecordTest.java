package dev.tgregistry.users.consumer;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient;
import dev.tgregistry.localstack.KafkaTestClient.TopicWatch;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.FreeLessonRegistered;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.Topics;
import dev.tgregistry.model.UserSeen;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static dev.tgregistry.users.consumer.UserSeenConsumerTest.user;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records that break their contract or that PostgreSQL refuses are dead-lettered with the reason, and the records
 * behind them (a canary of another user on the same partition) are applied. User ids 9_100_000 .. 9_100_999.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class PoisonRecordTest {
    private static final Instant T1 = Instant.parse("2026-03-01T10:00:00Z");
    private static final int PARTITIONS = 3;

    @Test
    void contractPoisonIsDeadLetteredAndTheCanaryBehindItIsApplied() {
        long poisonUser = 9_100_001;
        Map<String, String> poisons = Map.of(
                "NUL in a name", sighting(poisonUser, "first\u0000name", T1),
                // written by hand: a JSON writer would encode the lone surrogate as '?' on the way into Kafka
                "lone surrogate", "{\"schema_version\":1,\"user\":{\"id\":9100001,\"first_name\":\"bad\\ud800name\"},"
                        + "\"seen_at\":\"2026-03-01T10:00:00Z\"}",
                "year 9999", sighting(poisonUser, "future", Instant.parse("9999-01-01T00:00:00Z")),
                "before 1970", sighting(poisonUser, "past", Instant.parse("1969-12-31T00:00:00Z")),
                "256 CJK characters", sighting(poisonUser, "漢".repeat(256), T1),
                "not JSON", "\u0001\u0002 not json at all",
                "wrong record type", RecordJson.write(new BotEvent(1, "e-1", poisonUser, "start", null, T1, null)));
        List<Map.Entry<String, String>> records = new ArrayList<>();
        poisons.values().forEach(value -> records.add(Map.entry(Long.toString(poisonUser), value)));
        long canary = samePartitionAs(poisonUser, 9_100_100);
        records.add(Map.entry(Long.toString(canary), sighting(canary, "canary", T1)));

        try (TopicWatch dlq = new TopicWatch(KafkaResource.bootstrapServers(), Topics.deadLetterOf(Topics.USER_SEEN))) {
            KafkaTestClient.produceAll(KafkaResource.bootstrapServers(), Topics.USER_SEEN, records);

            awaitUser(canary).body("user.first_name", equalTo("canary"));
            List<ConsumerRecord<String, String>> dead = awaitDeadLetters(dlq, Long.toString(poisonUser), poisons.size());
            for (ConsumerRecord<String, String> letter : dead) {
                assertTrue(header(letter, DeadLetters.REASON).length() > 3, "reason header");
            }
            assertTrue(dead.stream().anyMatch(letter -> header(letter, DeadLetters.REASON).contains("user.first_name")));
            assertTrue(dead.stream().anyMatch(letter -> header(letter, DeadLetters.REASON).contains("seen_at")));
            api().get("/api/users/" + poisonUser).then().statusCode(404);
        }
    }

    @Test
    void aRecordPostgresRefusesIsIsolatedAndEverythingElseIsWritten() {
        long owner = 9_100_201;
        sql("INSERT INTO free_lesson_registrations (id, user_id, email, lesson_type, lesson_date) VALUES "
                + "(9100201, 9100201, 'a@example.com', 'cursor_lesson', '2026-02-01'), "
                + "(9100202, 9100201, 'a@example.com', 'cursor_lesson', '2026-02-02')");
        long before = 9_100_203;
        long canary = samePartitionAs(owner, 9_100_210);
        // moving registration 9100202 onto 2026-02-01 collides with the bot's unique (user, lesson type, date)
        FreeLessonRegistered colliding = lesson(9_100_202, owner, LocalDate.parse("2026-02-01"));

        try (TopicWatch dlq = new TopicWatch(KafkaResource.bootstrapServers(), Topics.deadLetterOf(Topics.FREE_LESSONS))) {
            KafkaTestClient.produceAll(KafkaResource.bootstrapServers(), Topics.FREE_LESSONS, List.of(
                    Map.entry(Long.toString(before), RecordJson.write(lesson(9_100_203, before, LocalDate.parse("2026-02-03")))),
                    Map.entry(Long.toString(owner), RecordJson.write(colliding)),
                    Map.entry(Long.toString(canary), RecordJson.write(lesson(9_100_204, canary, LocalDate.parse("2026-02-04"))))));

            await().atMost(Duration.ofSeconds(60)).until(() ->
                    scalar("SELECT count(*) FROM free_lesson_registrations WHERE id IN (9100203, 9100204)").equals(2L));
            List<ConsumerRecord<String, String>> dead = awaitDeadLetters(dlq, Long.toString(owner), 1);
            assertEquals("23505", header(dead.get(0), DeadLetters.SQLSTATE));
            assertEquals(Topics.FREE_LESSONS, header(dead.get(0), DeadLetters.ORIGINAL_TOPIC));
            assertEquals("2026-02-02", scalar("SELECT lesson_date::text FROM free_lesson_registrations WHERE id = 9100202"));
        }

        // after the fix (the bot removed its duplicate), one command re-publishes the dead letter and it applies
        sql("DELETE FROM free_lesson_registrations WHERE id = 9100201");
        given().header("Authorization", "Bearer second-test-key").post("/api/admin/dead-letters/" + Topics.FREE_LESSONS + "/replay")
                .then().statusCode(403);
        api().post("/api/admin/dead-letters/" + Topics.FREE_LESSONS + "/replay").then().statusCode(200)
                .body("topic", equalTo(Topics.FREE_LESSONS));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "2026-02-01".equals(scalar("SELECT lesson_date::text FROM free_lesson_registrations WHERE id = 9100202")));
    }

    @Test
    void emptyAndAbsentLastNameOfOneUserInOneBatchAreOneName() {
        long id = 9_100_301;
        KafkaTestClient.produceAll(KafkaResource.bootstrapServers(), Topics.USER_SEEN, List.of(
                Map.entry(Long.toString(id), "{\"schema_version\":1,\"user\":{\"id\":9100301,\"first_name\":\"Ann\",\"last_name\":\"\"},"
                        + "\"seen_at\":\"2026-03-01T10:00:00Z\"}"),
                Map.entry(Long.toString(id), "{\"schema_version\":1,\"user\":{\"id\":9100301,\"first_name\":\"Ann\"},"
                        + "\"seen_at\":\"2026-03-01T10:00:05Z\"}")));

        awaitUser(id).body("user.first_name", equalTo("Ann"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "2026-03-01T10:00:05.000Z".equals(api().get("/api/users/" + id).then().extract().path("user.last_seen_at")));
        // as two names, one of them would be a former name in the history
        assertEquals(0L, scalar("SELECT count(*) FROM user_name_history WHERE user_id = 9100301"));
    }

    @Test
    void aDeadLetterThatCannotBeSentIsRetriedAndNothingBehindItIsSkipped() throws Exception {
        long poisonUser = 9_100_401;
        long canary = samePartitionAs(poisonUser, 9_100_410);
        String deadLetterTopic = Topics.deadLetterOf(Topics.BOT_EVENTS);
        KafkaTestClient.ensureTopic(KafkaResource.bootstrapServers(), deadLetterTopic);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers()));
             TopicWatch dlq = new TopicWatch(KafkaResource.bootstrapServers(), deadLetterTopic)) {
            setMaxMessageBytes(admin, deadLetterTopic, "64"); // every dead letter is now refused by the broker
            try {
                KafkaTestClient.produceAll(KafkaResource.bootstrapServers(), Topics.BOT_EVENTS, List.of(
                        Map.entry(Long.toString(poisonUser), "{\"event_id\":\"poison-9100401\",\"user_id\":9100401,"
                                + "\"event_type\":\"x\",\"details\":{\"a\":\"b\\u0000c\"},\"occurred_at\":\"2026-03-01T10:00:00Z\"}"),
                        Map.entry(Long.toString(canary), RecordJson.write(
                                new BotEvent(1, "canary-9100410", canary, "start_command", null, T1, null)))));
                Thread.sleep(4_000);
                assertEquals(0L, scalar("SELECT count(*) FROM events WHERE event_id = 'canary-9100410'"),
                        "nothing behind a record that is neither written nor dead-lettered is applied");
            } finally {
                setMaxMessageBytes(admin, deadLetterTopic, TopicSetup.DEAD_LETTER_MAX_MESSAGE_BYTES);
            }
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    scalar("SELECT count(*) FROM events WHERE event_id = 'canary-9100410'").equals(1L));
            List<ConsumerRecord<String, String>> dead = awaitDeadLetters(dlq, Long.toString(poisonUser), 1);
            assertTrue(header(dead.get(0), DeadLetters.REASON).contains("details.a"), header(dead.get(0), DeadLetters.REASON));
        }
    }

    @Test
    void deadLetterTopicsExistWithRoomForLargeRecords() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> admin.listTopics().names().get().containsAll(
                    Topics.ALL.stream().map(Topics::deadLetterOf).toList()));
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.deadLetterOf(Topics.BOOKINGS));
            String maxBytes = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value();
            assertEquals(TopicSetup.DEAD_LETTER_MAX_MESSAGE_BYTES, maxBytes);
        }
    }

    @Test
    void eventIdsCannotRunOut() {
        assertEquals("bigint", scalar("SELECT data_type FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'id'"));
        assertEquals("bigint", scalar("SELECT data_type FROM pg_sequences WHERE sequencename = 'events_id_seq'").toString());
    }

    /** Longer than the other consumer tests' wait: this class may run first, while the consumers still join their groups. */
    private static io.restassured.response.ValidatableResponse awaitUser(long id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> api().get("/api/users/" + id).statusCode() == 200);
        return api().get("/api/users/" + id).then().statusCode(200);
    }

    private static void setMaxMessageBytes(Admin admin, String topic, String bytes) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, bytes), AlterConfigOp.OpType.SET)))).all().get();
    }

    private static List<ConsumerRecord<String, String>> awaitDeadLetters(TopicWatch dlq, String key, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<ConsumerRecord<String, String>> ofKey = List.of();
        while (System.nanoTime() < deadline) {
            ofKey = dlq.drain(Duration.ofMillis(500)).stream().filter(record -> key.equals(record.key())).toList();
            if (ofKey.size() >= count) {
                break;
            }
        }
        assertEquals(count, ofKey.size(), "dead letters of key " + key);
        return ofKey;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        assertNotNull(header, name);
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The first id from {@code from} on whose key lands on the same partition as {@code id}'s (default partitioner). */
    static long samePartitionAs(long id, long from) {
        int target = partitionOf(id);
        long candidate = from;
        while (partitionOf(candidate) != target) {
            candidate++;
        }
        return candidate;
    }

    private static int partitionOf(long id) {
        return Utils.toPositive(Utils.murmur2(Long.toString(id).getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private static String sighting(long id, String firstName, Instant seenAt) {
        return RecordJson.write(UserSeen.of(user(id, null, firstName, null, null), seenAt, null, null));
    }

    private static FreeLessonRegistered lesson(long id, long userId, LocalDate date) {
        return new FreeLessonRegistered(1, id, userId, null, null, "u" + userId + "@example.com", "cursor_lesson", date, T1, false);
    }
}
