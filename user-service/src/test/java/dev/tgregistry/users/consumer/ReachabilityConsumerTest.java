package dev.tgregistry.users.consumer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.RegistryRecord;
import dev.tgregistry.model.Topics;
import dev.tgregistry.model.UserSeen;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.consumer.UserSeenConsumerTest.awaitUser;
import static dev.tgregistry.users.consumer.UserSeenConsumerTest.sight;
import static dev.tgregistry.users.consumer.UserSeenConsumerTest.user;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code reachable_by_dm} from how sightings say a user was seen (UserSeen.seen_via), through the real broker.
 * User ids 7_930_000..7_930_099.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class ReachabilityConsumerTest {
    private static final Instant T1 = Instant.parse("2026-02-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-02-02T10:00:00Z");
    private static final Instant T3 = Instant.parse("2026-02-03T10:00:00Z");
    private static final Instant T4 = Instant.parse("2026-02-04T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(90); // generous: the first test waits for the consumer group to form

    private static boolean reachable(long id) {
        return api().get("/api/users/" + id).then().statusCode(200).extract().path("user.reachable_by_dm");
    }

    private static void awaitReachable(long id, boolean expected) {
        await().atMost(WAIT).ignoreExceptions().until(() -> reachable(id) == expected);
    }

    private static boolean privateChatSince(long id, String instant) {
        return Boolean.TRUE.equals(scalar("SELECT private_chat_since = '" + instant + "'::timestamptz FROM users WHERE user_id = " + id));
    }

    @Test
    void aUserSeenOnlyInGroupsIsNotReachableUntilTheyWriteToTheBotInPrivate() {
        long id = 7_930_001;
        sight(UserSeen.of(user(id, "group_only", "G", null, null), T1, null, null, UserSeen.VIA_GROUP));
        sight(UserSeen.of(user(id, "group_only", "G", null, null), T2, null, null, UserSeen.VIA_MENTIONED));
        await().atMost(WAIT).ignoreExceptions().until(() -> "2026-02-02T10:00:00.000Z".equals(
                api().get("/api/users/" + id).then().extract().path("user.last_seen_at")));
        assertEquals(false, reachable(id));

        sight(UserSeen.of(user(id, "group_only", "G", null, null), T3, null, null, UserSeen.VIA_PRIVATE_CHAT));
        awaitReachable(id, true);
        assertTrue(privateChatSince(id, "2026-02-03T10:00:00Z"));

        // a later group sighting and a replay change nothing; an earlier private sighting arriving late moves "since" back
        sight(UserSeen.of(user(id, "group_only", "G", null, null), T4, null, null, UserSeen.VIA_GROUP));
        sight(UserSeen.of(user(id, "group_only", "G", null, null), T2.plusSeconds(60), null, null, UserSeen.VIA_PRIVATE_CHAT));
        await().atMost(WAIT).until(() -> privateChatSince(id, "2026-02-02T10:01:00Z"));
        assertEquals(true, reachable(id));
    }

    @Test
    void blockingTheBotMakesAUserUnreachableAndUnblockingReachableAgain() {
        long id = 7_930_002;
        sight(UserSeen.of(user(id, "dm_user", "D", null, null), T1, null, null, UserSeen.VIA_PRIVATE_CHAT));
        awaitReachable(id, true);
        sight(UserSeen.of(user(id, "dm_user", "D", null, null), T2, null, UserSeen.KICKED, UserSeen.VIA_PRIVATE_CHAT));
        awaitReachable(id, false);
        awaitUser(id).body("user.is_active", equalTo(false));
        sight(UserSeen.of(user(id, "dm_user", "D", null, null), T3, null, UserSeen.MEMBER, UserSeen.VIA_PRIVATE_CHAT));
        awaitReachable(id, true);
    }

    @Test
    void aRecordThatDoesNotSayHowIsNoProofOfAPrivateChat() {
        long id = 7_930_003;
        sight(UserSeen.of(user(id, "older_producer", "O", null, null), T1, null, null));
        awaitUser(id).body("user.username", equalTo("older_producer")).body("user.reachable_by_dm", equalTo(false));
        sight(UserSeen.of(user(id, "older_producer", "O", null, null), T2, null, null, UserSeen.VIA_BOT_RECORD));
        await().atMost(WAIT).ignoreExceptions().until(() -> "2026-02-02T10:00:00.000Z".equals(
                api().get("/api/users/" + id).then().extract().path("user.last_seen_at")));
        assertEquals(false, reachable(id));
    }

    @Test
    void aBotsReportOfADeletedAccountArrivesThroughTheBrokerClassified() {
        long id = 7_930_004;
        sight(UserSeen.of(user(id, "deleted_later", "D", null, null), T1, null, null, UserSeen.VIA_PRIVATE_CHAT));
        awaitReachable(id, true);
        BotEvent failure = new BotEvent(RegistryRecord.SCHEMA_VERSION, "7930004:send_failed", id, "bot_blocked",
                JsonNodeFactory.instance.objectNode().put("error_code", 403).put("description", "Forbidden: user is deactivated"),
                T2, null);
        KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.BOT_EVENTS, failure.key(), RecordJson.write(failure));
        await().atMost(WAIT).ignoreExceptions().until(() -> "deactivated".equals(
                api().get("/api/users/" + id).then().extract().path("user.unreachable_reason")));
        awaitUser(id).body("user.is_active", equalTo(false)).body("user.reachable_by_dm", equalTo(false));
        // a message in the private chat does not bring a deleted account back (docs/DESIGN.md "Reachability")
        sight(UserSeen.of(user(id, "deleted_later", "D", null, null), T3, null, null, UserSeen.VIA_PRIVATE_CHAT));
        await().atMost(WAIT).ignoreExceptions().until(() -> "2026-02-03T10:00:00.000Z".equals(
                api().get("/api/users/" + id).then().extract().path("user.last_seen_at")));
        assertEquals(false, reachable(id));
    }
}
