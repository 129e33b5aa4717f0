package dev.tgregistry.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient.TopicWatch;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.tgregistry.ingest.IngestEndpointsTest.SECRET;
import static dev.tgregistry.ingest.IngestEndpointsTest.SECRET_HEADER;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Posts every JSON body of docs/BOT-INTEGRATION.md exactly as written there (each block is marked
 * {@code <!-- POST <path> accepted=<n> -->}), so the guide and the service cannot drift apart, and checks what
 * the blocks produce on Kafka. User ids 7_950_001..7_950_099.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
class BotIntegrationDocTest {
    static final Path GUIDE = Path.of("..", "docs", "BOT-INTEGRATION.md");
    private static final Pattern BLOCK = Pattern.compile("<!-- POST (\\S+) accepted=(\\d+) -->\\s*```json\\n(.*?)```", Pattern.DOTALL);

    record Example(String path, int accepted, String body) {
    }

    static List<Example> examples() throws IOException {
        Matcher blocks = BLOCK.matcher(Files.readString(GUIDE, StandardCharsets.UTF_8));
        List<Example> examples = new ArrayList<>();
        while (blocks.find()) {
            examples.add(new Example(blocks.group(1), Integer.parseInt(blocks.group(2)), blocks.group(3)));
        }
        return examples;
    }

    @Test
    void everyBodyInTheGuideIsAcceptedAndProducesWhatTheGuideSays() throws IOException {
        List<Example> examples = examples();
        assertEquals(Set.of("/telegram/updates", "/bot/events", "/bot/bookings", "/bot/free-lessons"),
                examples.stream().map(Example::path).collect(Collectors.toSet()), "the guide shows every endpoint");
        assertEquals(7, examples.size());

        try (TopicWatch userSeen = new TopicWatch(KafkaResource.bootstrapServers(), Topics.USER_SEEN);
             TopicWatch events = new TopicWatch(KafkaResource.bootstrapServers(), Topics.BOT_EVENTS);
             TopicWatch bookings = new TopicWatch(KafkaResource.bootstrapServers(), Topics.BOOKINGS);
             TopicWatch freeLessons = new TopicWatch(KafkaResource.bootstrapServers(), Topics.FREE_LESSONS)) {
            for (Example example : examples) {
                given().header(SECRET_HEADER, SECRET).contentType(ContentType.JSON).body(example.body())
                        .when().post(example.path())
                        .then().statusCode(202).body("accepted", equalTo(example.accepted()));
            }

            List<JsonNode> sightings = values(userSeen.awaitAny(keyed("7950004"), Duration.ofSeconds(15)));
            assertTrue(sightings.stream().anyMatch(s -> s.at("/user/id").asLong() == 7950001L
                    && "message".equals(s.at("/source/kind").asText()) && "private_chat".equals(s.path("seen_via").asText())),
                    "the private /start");
            sightings = values(userSeen.awaitAny(r -> r.value().contains("\"kicked\""), Duration.ofSeconds(15)));
            assertEquals("group", seenVia(sightings, 7950002L));
            assertEquals("mentioned", seenVia(sightings, 7950003L));
            assertEquals("mentioned", seenVia(sightings, 7950004L));
            assertTrue(sightings.stream().anyMatch(s -> s.at("/user/id").asLong() == 7950001L
                    && "kicked".equals(s.path("chat_member_status").asText())), "the block notice");

            List<JsonNode> published = values(events.awaitAny(keyed("7950005"), Duration.ofSeconds(15)));
            JsonNode blocked = published.stream().filter(e -> e.path("user_id").asLong() == 7950005L).findFirst().orElseThrow();
            assertEquals("bot_blocked", blocked.path("event_type").asText());
            assertEquals(403, blocked.at("/details/error_code").asInt());
            assertTrue(published.stream().anyMatch(e -> "640001:view_program".equals(e.path("event_id").asText())));

            assertEquals("5th_stream", values(bookings.awaitAny(keyed("7950001"), Duration.ofSeconds(15))).get(0)
                    .path("course_stream").asText());
            assertEquals("maryam@example.com", values(freeLessons.awaitAny(keyed("7950002"), Duration.ofSeconds(15))).get(0)
                    .path("email").asText());
        }
    }

    private static Predicate<ConsumerRecord<String, String>> keyed(String key) {
        return record -> key.equals(record.key());
    }

    private static String seenVia(List<JsonNode> sightings, long userId) {
        return sightings.stream().filter(s -> s.at("/user/id").asLong() == userId).findFirst().orElseThrow()
                .path("seen_via").asText();
    }

    private static List<JsonNode> values(List<ConsumerRecord<String, String>> records) throws IOException {
        List<JsonNode> values = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            values.add(RecordJson.MAPPER.readTree(record.value()));
        }
        return values;
    }
}
