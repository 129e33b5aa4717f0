package dev.tgregistry.ingest.relay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.localstack.KafkaTestClient.TopicWatch;
import dev.tgregistry.model.RecordJson;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;

/** Telegram's side of the relay tests: its webhook deliveries, and the sightings they should become. */
final class Telegram {
    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    /** What setWebhook's secret_token is set to in relay mode: bot-ingest's own secret (test profile). */
    static final String SECRET = "test-ingest-secret";

    private Telegram() {
    }

    /** A private message update, written the way Telegram writes it (compact, escaped non-ASCII). */
    static byte[] update(long updateId, long userId, String text) {
        return ("{\"update_id\":" + updateId + ",\"message\":{\"message_id\":" + (updateId % 100_000) + ",\"from\":{\"id\":" + userId
                + ",\"is_bot\":false,\"first_name\":\"\\u0421\\u0435\\u0440\\u0433\\u0435\\u0439\",\"language_code\":\"ru\"},"
                + "\"chat\":{\"id\":" + userId + ",\"first_name\":\"\\u0421\\u0435\\u0440\\u0433\\u0435\\u0439\",\"type\":\"private\"},"
                + "\"date\":1763634900,\"text\":\"" + text + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** Posts one delivery as Telegram's webhook does. */
    static Response deliver(byte[] body) {
        return given().header(SECRET_HEADER, SECRET).header("Content-Type", "application/json").body(body)
                .when().post("/telegram/updates");
    }

    /** Waits until a sighting of each key arrived (or the timeout); returns everything seen so far. */
    static List<ConsumerRecord<String, String>> awaitKeys(TopicWatch watch, Collection<String> keys, Duration timeout) {
        Set<String> seen = new HashSet<>();
        return watch.awaitAny(record -> {
            seen.add(record.key());
            return seen.containsAll(keys);
        }, timeout);
    }

    static long updateId(ConsumerRecord<String, String> sighting) {
        try {
            JsonNode json = RecordJson.MAPPER.readTree(sighting.value());
            return json.at("/source/update_id").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
