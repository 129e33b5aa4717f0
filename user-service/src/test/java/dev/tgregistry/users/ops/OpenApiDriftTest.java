package dev.tgregistry.users.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed {@code docs/openapi/user-service.yaml} is exactly what the running service serves at
 * {@code /q/openapi}, and that document describes the real JSON. Regenerate the committed file (both services):
 * {@value #REGENERATE}
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class OpenApiDriftTest {
    static final String REGENERATE = "./mvnw -B -q -pl user-service,bot-ingest -am verify -DskipITs"
            + " -Dtest=OpenApiDriftTest -Dsurefire.failIfNoSpecifiedTests=false -Dopenapi.update=true";
    private static final Path COMMITTED = Path.of("..", "docs", "openapi", "user-service.yaml");

    @Test
    void committedDocumentIsWhatTheServiceServes() throws IOException {
        String live = given().get("/q/openapi?format=yaml").then().statusCode(200).extract().asString();
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
    void documentDescribesTheRealJson() throws IOException {
        JsonNode doc = new ObjectMapper().readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        JsonNode schemas = doc.path("components").path("schemas");

        JsonNode user = schemas.path("UserView").path("properties");
        assertEquals("string", type(user.path("user_id")), "user_id is a JSON string");
        assertTrue(user.has("display_name") && user.has("last_seen_at") && !user.has("displayName"), "snake_case: " + user);
        assertEquals("string", type(schemas.path("Validation").path("properties").path("invalid_user_ids").path("items")));
        assertTrue(schemas.path("Stats").path("properties").has("totalUsers"), "stats keep their camelCase keys");

        JsonNode scheme = doc.path("components").path("securitySchemes").path("api_key");
        assertEquals("http", scheme.path("type").asText());
        assertEquals("bearer", scheme.path("scheme").asText());
        JsonNode stats = doc.path("paths").path("/api/stats").path("get");
        assertTrue(stats.path("security").path(0).has("api_key"), "operations send the key: " + stats);

        JsonNode notFound = doc.path("paths").path("/api/users/{id}").path("get").path("responses").path("404");
        assertTrue(notFound.path("content").path("application/problem+json").path("schema").path("$ref").asText()
                .endsWith("/Problem"), "errors are problem+json: " + notFound);
        assertTrue(schemas.path("Problem").path("properties").has("trace_id"));
        assertFalse(stats.path("responses").path("500").isMissingNode(), "500 documented");

        JsonNode validateBody = doc.path("paths").path("/api/users/validate").path("post").path("requestBody")
                .path("content").path("application/json").path("schema");
        assertTrue(validateBody.path("$ref").asText().endsWith("/ValidateRequest"), "typed request body: " + validateBody);
        assertEquals("string", type(schemas.path("ValidateRequest").path("properties").path("user_ids").path("items")));
    }

    /** {@code type} of a schema: a string, or OpenAPI 3.1's one-element array. */
    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        return type.isArray() ? type.path(0).asText() : type.asText();
    }
}
