package dev.tgregistry.ingest.relay;

import dev.tgregistry.localstack.KafkaTestClient.TopicWatch;
import dev.tgregistry.localstack.LocalKafka;
import dev.tgregistry.model.Topics;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static dev.tgregistry.localstack.Urls.at;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka stopped mid-stream under relay mode: the bot keeps getting every update at once and Telegram keeps getting
 * the bot's answers (not a 503 after the ack timeout), bot-ingest stays ready, the spool holds the sightings
 * (its metric says so), and they all arrive once the broker is back. A broker of its own (in this JVM, on a fixed
 * port and log directory, stopped and started again), not the shared one. User ids 9_720_000_000+.
 */
@QuarkusTest
@TestProfile(RelayKafkaOutageTest.OwnBroker.class)
class RelayKafkaOutageTest {
    /** With Kafka coupled to the answer, a delivery would wait for the 3 s ack timeout and get 503. */
    private static final Duration WITHIN = Duration.ofMillis(2_500);

    public static class OwnBroker extends RelayProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("kafka.bootstrap.servers", LocalKafka.HOST + ":" + StubBot.port("outage-kafka"));
            config.put("app.kafka-ack-timeout", "3s");
            config.put("app.relay.spool.retry-max-backoff", "1s");
            return config;
        }
    }

    @TestHTTPResource(value = "", management = true)
    URL management;

    private static StubBot bot;
    private static Path logDir;
    private static LocalKafka kafka;

    @BeforeAll
    static void start() throws IOException {
        bot = new StubBot(RelayProfile.botPort()).start();
        logDir = Files.createTempDirectory("relay-outage-kafka-");
        kafka = LocalKafka.start(StubBot.port("outage-kafka"), logDir);
        kafka.createTopics(Topics.USER_SEEN);
    }

    @AfterAll
    static void stop() {
        bot.close();
        if (kafka != null) {
            kafka.close();
        }
        deleteQuietly(logDir);
    }

    @Test
    void kafkaStoppedMidStreamNeverReachesTheBotsPathAndTheSightingsArriveWhenItIsBack() {
        List<byte[]> sent = new ArrayList<>();
        try (TopicWatch userSeen = new TopicWatch(kafka.bootstrapServers(), Topics.USER_SEEN)) {
            List<String> before = deliverAll(sent, 9_720_000_001L, 3, Duration.ofSeconds(60)); // the first request warms up
            Telegram.awaitKeys(userSeen, before, Duration.ofSeconds(30));
        }

        kafka.close();
        List<String> during = new ArrayList<>(deliverAll(sent, 9_720_000_101L, 20, WITHIN));
        given().get(at(management, "/health/ready")).then().statusCode(200);
        assertTrue(metric("relay_spool_records") >= 1, "the spool holds the sightings of the outage");
        // an outage longer than the ack timeout: the spool's publication fails and is kept for a retry ...
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> metric("relay_spool_publish_failures_total") >= 1);
        // ... while the bot keeps getting its updates at once
        during.addAll(deliverAll(sent, 9_720_000_201L, 10, WITHIN));
        given().get(at(management, "/health/ready")).then().statusCode(200);

        kafka = LocalKafka.start(StubBot.port("outage-kafka"), logDir);
        try (TopicWatch userSeen = new TopicWatch(kafka.bootstrapServers(), Topics.USER_SEEN)) {
            List<ConsumerRecord<String, String>> seen = Telegram.awaitKeys(userSeen, during, Duration.ofSeconds(60));
            for (String key : during) {
                assertTrue(seen.stream().anyMatch(r -> r.key().equals(key)), "sighting of user " + key + " after the outage");
            }
        }
        List<StubBot.Received> received = bot.received();
        assertEquals(sent.size(), received.size(), "one forward per delivery");
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), received.get(i).body(), "delivery " + i);
        }
    }

    /** Delivers one update per user, each answered with the bot's reply {@code within}. */
    private static List<String> deliverAll(List<byte[]> sent, long firstUser, int count, Duration within) {
        List<String> keys = new ArrayList<>();
        for (long user : LongStream.range(firstUser, firstUser + count).toArray()) {
            byte[] update = Telegram.update(user - 9_000_000_000L, user, "/start");
            long start = System.nanoTime();
            Response answer = Telegram.deliver(update);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(200, answer.statusCode(), answer.asString());
            assertArrayEquals(StubBot.REPLY, answer.asByteArray());
            assertTrue(took.compareTo(within) < 0, "delivery answered after " + took);
            sent.add(update);
            keys.add(Long.toString(user));
        }
        return keys;
    }

    /** A series of bot-ingest's Prometheus metrics (without labels, or the first with; an exemplar may follow). */
    private double metric(String name) {
        String metrics = given().get(at(management, "/metrics")).then().statusCode(200).extract().asString();
        Matcher value = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+-]+)(?: #.*)?$").matcher(metrics);
        assertTrue(value.find(), name + " is exported: " + metrics.lines().filter(l -> l.startsWith("relay_")).toList());
        return Double.parseDouble(value.group(1));
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
