package dev.tgregistry.ingest.relay;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.Urls;
import dev.tgregistry.model.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's warm-up: its synthetic deliveries go through bot-ingest's own endpoint to a local sink before
 * readiness, and reach neither the bot nor Kafka nor the relay's counters; a request with any other warm-up header
 * value is an ordinary delivery. A profile of its own whose bot is down while the application starts: a warm-up
 * delivery that went to the bot would fail, and the warm-up with it.
 */
@QuarkusTest
@TestProfile(RelayWarmUpTest.WarmUpProfile.class)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
class RelayWarmUpTest {
    static final int DELIVERIES = 400;
    private static StubBot bot;

    @TestHTTPResource(value = "", management = true)
    URL management;

    public static class WarmUpProfile extends RelayProfile {
        static int downBotPort() {
            return StubBot.port("warm-up-bot");
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            var overrides = new java.util.HashMap<>(super.getConfigOverrides());
            overrides.put("app.relay.target-url", StubBot.url(downBotPort()));
            overrides.put("app.relay.warm-up-deliveries", Integer.toString(DELIVERIES));
            return overrides;
        }
    }

    @AfterAll
    static void stopBot() {
        if (bot != null) {
            bot.close();
        }
    }

    @Test
    void readinessWaitsForEveryWarmUpDeliveryAndNoneReachesTheBotKafkaOrTheCounters() {
        JsonPath ready = awaitReady();
        assertEquals(DELIVERIES, ready.getInt("checks.find { it.name == 'relay warm-up' }.data.deliveries"),
                "every warm-up delivery answered 200 though the bot is down");
        String metrics = given().get(Urls.at(management, "/metrics")).then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().filter(l -> l.startsWith("relay_updates_total{")).allMatch(l -> l.endsWith(" 0.0")),
                "warm-up deliveries counted as relayed updates:\n" + metrics.lines().filter(l -> l.startsWith("relay_updates")).toList());
        assertTrue(warmUpSightings().isEmpty(), "a warm-up sighting was published");
    }

    @Test
    void aRequestWithAnyOtherWarmUpValueIsAnOrdinaryDelivery() {
        awaitReady();
        bot = new StubBot(WarmUpProfile.downBotPort()).start();
        byte[] update = Telegram.update(971_900_001L, 9_719_000_001L, "/start");

        byte[] answer = given().header(Telegram.SECRET_HEADER, Telegram.SECRET).header(RelayWarmUp.HEADER, "guessed")
                .header("Content-Type", "application/json").body(update).when().post("/telegram/updates")
                .then().statusCode(200).extract().asByteArray();

        assertArrayEquals(StubBot.REPLY, answer, "the bot's own answer");
        assertEquals(1, bot.received().size(), "forwarded to the bot");
        assertArrayEquals(update, bot.received().get(0).body());
    }

    private JsonPath awaitReady() {
        Instant deadline = Instant.now().plusSeconds(90);
        while (true) {
            var response = given().get(Urls.at(management, "/health/ready"));
            if (response.statusCode() == 200 || Instant.now().isAfter(deadline)) {
                assertEquals(200, response.statusCode(), response.asString());
                return response.jsonPath();
            }
            sleep();
        }
    }

    private static List<ConsumerRecord<String, String>> warmUpSightings() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.USER_SEEN, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> warmUp = new java.util.ArrayList<>();
            Instant deadline = Instant.now().plusSeconds(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key() != null && r.key().length() == 12 && r.key().startsWith("9000")) {
                        warmUp.add(r);
                    }
                });
            }
            return warmUp;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
