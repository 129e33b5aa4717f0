package dev.tgregistry.ingest;

import dev.tgregistry.ingest.relay.RelayProfile;
import dev.tgregistry.ingest.relay.StubBot;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient.TopicWatch;
import dev.tgregistry.localstack.RawHttp;
import dev.tgregistry.localstack.hostile.HostileSuite;
import dev.tgregistry.localstack.hostile.OpenApiDocument;
import dev.tgregistry.model.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.tgregistry.localstack.Urls.at;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile-input suite of {@link HostileInputTest} against the route relay mode changes (a stub bot answering every
 * forwarded update): never a 5xx while the bot is up, every refusal problem+json naming the field, the valid
 * sample relayed (2xx); afterwards an update still reaches the bot unchanged and becomes a sighting. The report goes
 * to {@code target/hostile-input-bot-ingest-relay.txt}. User ids 9_630_000_000+ (HostileInputTest's range).
 */
@QuarkusTest
@TestProfile(RelayProfile.class)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelayHostileInputTest {
    private static final long CANARY = 9_630_000_902L;
    private static StubBot bot;

    @TestHTTPResource("/")
    URL api;

    @TestHTTPResource(value = "", management = true)
    URL management;

    @BeforeAll
    static void startBot() {
        bot = new StubBot(RelayProfile.botPort()).start();
    }

    @AfterAll
    static void stopBot() {
        bot.close();
    }

    @Test
    @Order(1)
    void theRelayedRouteAnswersHostileValuesWithoutA5xx() throws Exception {
        HostileSuite suite = new HostileSuite("bot-ingest (relay mode)", OpenApiDocument.load(onlyTheRelayedRoute()),
                HostileInputTest.samples(), api, new URL(at(management, "/metrics")),
                RawHttp.Header.of(IngestEndpointsTest.SECRET_HEADER, IngestEndpointsTest.SECRET));
        HostileSuite.Report report = suite.run();
        report.write(Path.of("target", "hostile-input-bot-ingest-relay.txt"));
        System.out.println(report.summary());
        assertTrue(report.failures().isEmpty(), report.failureText());
        assertTrue(bot.received().stream().anyMatch(r -> new String(r.body(), StandardCharsets.UTF_8).contains("\"update_id\"")),
                "the valid sample was relayed to the bot");
    }

    /**
     * The committed document with only {@code POST /telegram/updates}, the route relay mode changes (the suite covers
     * the /bot/* routes, which it leaves as they are, in {@link HostileInputTest}).
     */
    private static Path onlyTheRelayedRoute() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode doc = (ObjectNode) yaml.readTree(OpenApiDocument.committed("bot-ingest.yaml").toFile());
        ((ObjectNode) doc.get("paths")).retain("/telegram/updates");
        Path file = Path.of("target", "bot-ingest-relay-route.yaml");
        yaml.writeValue(file.toFile(), doc);
        return file;
    }

    @Test
    @Order(2)
    void anUpdateStillReachesTheBotAndBecomesASightingAfterwards() {
        bot.forget();
        byte[] update = HostileInputTest.update(963_000_902L, CANARY).getBytes(StandardCharsets.UTF_8);
        try (TopicWatch userSeen = new TopicWatch(KafkaResource.bootstrapServers(), Topics.USER_SEEN)) {
            byte[] answer = given().header(IngestEndpointsTest.SECRET_HEADER, IngestEndpointsTest.SECRET).contentType(ContentType.JSON)
                    .body(update).post("/telegram/updates").then().statusCode(200).extract().asByteArray();
            assertArrayEquals(StubBot.REPLY, answer);
            assertArrayEquals(update, bot.received().get(0).body());
            List<ConsumerRecord<String, String>> seen = userSeen.awaitAny(r -> r.key().equals(Long.toString(CANARY)), Duration.ofSeconds(20));
            assertTrue(seen.stream().anyMatch(r -> r.key().equals(Long.toString(CANARY))), "a sighting of " + CANARY);
        }
    }
}
