package dev.tgregistry.ingest.relay;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient.TopicWatch;
import dev.tgregistry.model.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Relay mode against a stub bot and the real broker: Telegram's bytes reach the bot unchanged with the bot's own
 * secret, the bot's answer comes back as it is, each delivery reaches the bot once and in order, a bot that is down
 * or slow gives Telegram a failure, and each delivered update becomes its sightings once. User ids 9_710_000_000+.
 */
@QuarkusTest
@TestProfile(RelayProfile.class)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
class RelayTest {
    private static StubBot bot;
    private TopicWatch userSeen;

    @BeforeAll
    static void startBot() {
        bot = new StubBot(RelayProfile.botPort()).start();
    }

    @AfterAll
    static void stopBot() {
        bot.close();
    }

    @BeforeEach
    void watch() {
        bot.start();
        bot.mode(StubBot.Mode.REPLY);
        bot.forget();
        userSeen = new TopicWatch(KafkaResource.bootstrapServers(), Topics.USER_SEEN);
    }

    @AfterEach
    void closeWatch() {
        userSeen.close();
    }

    @Test
    void forwardsTheBytesTelegramSentAndReturnsTheBotsReplyAsIs() {
        // spacing, member order, escapes and a member the registry does not know: all of it must reach the bot as sent
        byte[] sent = ("{ \"update_id\" : 971000001,\n  \"message\": {\"text\":\"\\u041f\\u0440\\u0438\\u0432\\u0435\\u0442 \\ud83d\\ude00\","
                + "\"date\":1763634900, \"chat\":{\"type\":\"private\",\"id\":9710000001},"
                + "\"from\":{\"id\":9710000001,\"is_bot\":false,\"first_name\":\"Сергей\"},\"message_id\":1,"
                + "\"future_member\":{\"x\":1.50e0}}}\n").getBytes(StandardCharsets.UTF_8);

        Response answer = Telegram.deliver(sent);

        assertEquals(200, answer.statusCode());
        assertEquals("application/json", answer.contentType());
        assertArrayEquals(StubBot.REPLY, answer.asByteArray(), "the webhook reply must come back byte for byte");
        List<StubBot.Received> received = bot.received();
        assertEquals(1, received.size());
        assertArrayEquals(sent, received.get(0).body(), "the bot must get the bytes Telegram sent");
        assertEquals(StubBot.SECRET, received.get(0).secret(), "the bot's own secret, not bot-ingest's");
        assertEquals(StubBot.PATH, received.get(0).path());

        List<ConsumerRecord<String, String>> seen = Telegram.awaitKeys(userSeen, List.of("9710000001"), Duration.ofSeconds(20));
        assertEquals(1, seen.stream().filter(r -> r.key().equals("9710000001")).count(), "one sighting of the delivered update");
    }

    @Test
    void everyDeliveryReachesTheBotOnceInOrderAndBecomesItsSightingOnce() {
        List<Long> users = LongStream.rangeClosed(1, 40).map(i -> 9_710_000_100L + i).boxed().toList();
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            byte[] update = Telegram.update(971_000_100L + i, users.get(i), "/start");
            sent.add(update);
            Telegram.deliver(update).then().statusCode(200);
        }

        List<StubBot.Received> received = bot.received();
        assertEquals(sent.size(), received.size(), "one forward per delivery");
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), received.get(i).body(), "delivery " + i + " out of order or changed");
        }
        List<String> keys = users.stream().map(String::valueOf).toList();
        List<ConsumerRecord<String, String>> seen = Telegram.awaitKeys(userSeen, keys, Duration.ofSeconds(20));
        for (String key : keys) {
            assertEquals(1, seen.stream().filter(r -> r.key().equals(key)).count(), "sightings of user " + key);
        }
    }

    @Test
    void aBotThatIsDownGivesTelegramAFailureAndItsUpdateIsPublishedOnceDelivered() {
        long user = 9_710_000_201L;
        byte[] update = Telegram.update(971_000_201L, user, "hello");

        bot.stop();
        Telegram.deliver(update).then().statusCode(502).contentType("application/problem+json")
                .body("title", equalTo("Bot unreachable")).body("trace_id", matchesPattern("[0-9a-f]{32}"));

        bot.start();
        bot.mode(StubBot.Mode.FAIL_503);
        Response failed = Telegram.deliver(update);
        assertEquals(503, failed.statusCode(), "the bot's own failure, as it is");
        assertEquals("bot restarting", failed.asString());
        assertTrue(failed.contentType().startsWith("text/plain"), failed.contentType());

        bot.mode(StubBot.Mode.REPLY);
        Telegram.deliver(update).then().statusCode(200);
        byte[] next = Telegram.update(971_000_202L, user, "next");
        Telegram.deliver(next).then().statusCode(200);

        assertEquals(3, bot.received().size(), "the bot got the 503'd delivery, its retry and the next update");
        // one user, one partition, published in order: once the next update's sighting is there, so is every earlier one
        List<ConsumerRecord<String, String>> seen = userSeen.awaitAny(
                r -> r.key().equals(Long.toString(user)) && Telegram.updateId(r) == 971_000_202L, Duration.ofSeconds(20));
        assertEquals(1, seen.stream().filter(r -> Telegram.updateId(r) == 971_000_201L).count(),
                "the update refused twice and delivered once is published once");
        assertEquals(1, seen.stream().filter(r -> Telegram.updateId(r) == 971_000_202L).count());
    }

    @Test
    void aBotThatDoesNotAnswerInTimeGivesTelegram504() {
        long user = 9_710_000_301L;
        bot.mode(StubBot.Mode.SLOW);
        Telegram.deliver(Telegram.update(971_000_301L, user, "slow")).then().statusCode(504)
                .contentType("application/problem+json").body("title", equalTo("Bot timeout"));

        bot.mode(StubBot.Mode.REPLY);
        Telegram.deliver(Telegram.update(971_000_302L, user, "fast")).then().statusCode(200);
        List<ConsumerRecord<String, String>> seen = userSeen.awaitAny(
                r -> r.key().equals(Long.toString(user)) && Telegram.updateId(r) == 971_000_302L, Duration.ofSeconds(20));
        assertEquals(0, seen.stream().filter(r -> Telegram.updateId(r) == 971_000_301L).count(),
                "an update the bot did not take is not published (Telegram sends it again)");
    }

    @Test
    void whatIsNoTelegramDeliveryIsRefusedWithAProblemAndNeverForwarded() {
        Telegram.deliver("[{\"update_id\":1}]".getBytes(StandardCharsets.UTF_8)).then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("one Telegram Update"));
        Telegram.deliver("{\"message\":{}}".getBytes(StandardCharsets.UTF_8)).then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("update_id"));
        Telegram.deliver("{\"update_id\":".getBytes(StandardCharsets.UTF_8)).then().statusCode(400)
                .contentType("application/problem+json");
        given().header(Telegram.SECRET_HEADER, StubBot.SECRET).header("Content-Type", "application/json")
                .body(Telegram.update(971_000_401L, 9_710_000_401L, "x")).post("/telegram/updates")
                .then().statusCode(401).contentType("application/problem+json");
        assertEquals(0, bot.received().size(), "nothing of that reached the bot");
    }

    @Test
    void anUpdateWhoseUsersCannotBeReadStillReachesTheBot() {
        byte[] odd = "{\"update_id\":971000501,\"message\":{\"message_id\":1,\"date\":1763634900,\"chat\":{\"id\":1,\"type\":\"private\"},\"from\":{\"id\":\"not a number\"}}}"
                .getBytes(StandardCharsets.UTF_8);
        Response answer = Telegram.deliver(odd);
        assertEquals(200, answer.statusCode());
        assertArrayEquals(StubBot.REPLY, answer.asByteArray());
        assertArrayEquals(odd, bot.received().get(0).body());
    }
}
