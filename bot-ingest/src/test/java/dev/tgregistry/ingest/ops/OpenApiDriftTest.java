package dev.tgregistry.ingest.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgregistry.localstack.KafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.tgregistry.localstack.Urls.at;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed {@code docs/openapi/bot-ingest.yaml} is exactly what the running service serves at {@code /q/openapi}
 * (management port), and it documents the secret header and the bodies. Regenerate the committed file (both
 * services): {@value #REGENERATE}
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
class OpenApiDriftTest {
    static final String REGENERATE = "./mvnw -B -q -pl user-service,bot-ingest -am verify -DskipITs"
            + " -Dtest=OpenApiDriftTest -Dsurefire.failIfNoSpecifiedTests=false -Dopenapi.update=true";
    private static final Path COMMITTED = Path.of("..", "docs", "openapi", "bot-ingest.yaml");

    @TestHTTPResource(value = "", management = true)
    URL management;

    @Test
    void committedDocumentIsWhatTheServiceServes() throws IOException {
        String live = given().get(at(management, "/openapi?format=yaml")).then().statusCode(200).extract().asString();
        if (Boolean.getBoolean("openapi.update")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, live);
            return;
        }
        assertTrue(Files.isRegularFile(COMMITTED), COMMITTED + " is missing; generate it: " + REGENERATE);
        assertEquals(Files.readString(COMMITTED), live,
                "the OpenAPI document changed: review the difference and regenerate " + COMMITTED + ": " + REGENERATE);
    }

    @Test
    void documentDescribesTheSecretHeaderBodiesAndErrors() throws IOException {
        JsonNode doc = new ObjectMapper().readTree(given().get(at(management, "/openapi?format=json")).then().statusCode(200)
                .extract().asString());
        JsonNode scheme = doc.path("components").path("securitySchemes").path("ingest_secret");
        assertEquals("apiKey", scheme.path("type").asText());
        assertEquals("header", scheme.path("in").asText());
        assertEquals("X-Telegram-Bot-Api-Secret-Token", scheme.path("name").asText());

        for (String path : new String[] {"/telegram/updates", "/bot/events", "/bot/bookings", "/bot/free-lessons"}) {
            JsonNode post = doc.path("paths").path(path).path("post");
            assertTrue(post.path("security").path(0).has("ingest_secret"), path + " sends the secret: " + post);
            assertTrue(post.path("requestBody").path("content").path("application/json").path("schema").has("oneOf"),
                    path + " has a typed body (one or an array): " + post.path("requestBody"));
            assertTrue(post.path("responses").path("503").path("content").path("application/problem+json")
                    .path("schema").path("$ref").asText().endsWith("/Problem"), path + " errors are problem+json");
        }
        JsonNode event = doc.path("components").path("schemas").path("BotEvent").path("properties");
        assertTrue(event.has("event_id") && event.has("occurred_at") && !event.has("eventId"), "snake_case: " + event);
    }
}
