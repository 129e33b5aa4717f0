package dev.tgregistry.users.user;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.Test;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.sql;
import static dev.tgregistry.localstack.Urls.at;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class UserApiTest {
    /** The management interface's root, {@code http://localhost:<random port>/q}. */
    @TestHTTPResource(value = "", management = true)
    URL management;


    @Test
    void userIsServedWithStringIdAndDisplayName() {
        sql("DELETE FROM users WHERE user_id IN (9007199254740993, 4242)",
                "INSERT INTO users (user_id, first_name, last_name, first_seen_at, last_seen_at) "
                        + "VALUES (9007199254740993, 'Anna', 'Karenina', '2025-06-01T10:00:00Z', '2025-07-01T10:00:00.5Z')",
                "INSERT INTO users (user_id, first_seen_at, last_seen_at) VALUES (4242, now(), now())");

        api().get("/api/users/9007199254740993")
                .then().statusCode(200)
                .body("user.user_id", equalTo("9007199254740993"))
                .body("user.display_name", equalTo("Anna Karenina"))
                .body("user.username", nullValue())
                .body("user.is_active", equalTo(true))
                .body("user.first_seen_at", equalTo("2025-06-01T10:00:00.000Z"))
                .body("user.last_seen_at", equalTo("2025-07-01T10:00:00.500Z"));
        api().get("/api/users/4242").then().statusCode(200).body("user.display_name", equalTo("User 4242"));
    }

    @Test
    void unknownUserIs404Problem() {
        api().get("/api/users/123456").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("error", containsString("123456"));
    }

    @Test
    void badIdIs400() {
        api().get("/api/users/abc").then().statusCode(400).body("error", containsString("id must be a positive integer"));
        api().get("/api/users/-5").then().statusCode(400);
        api().get("/api/users/99999999999999999999").then().statusCode(400);
    }

    @Test
    void apiKeyIsRequired() {
        given().get("/api/users/1").then().statusCode(401).contentType("application/problem+json")
                .body("error", containsString("missing API key"));
        given().header("Authorization", "Bearer nope").get("/api/users/1").then().statusCode(401)
                .body("error", equalTo("wrong API key"));
        given().header("Authorization", "Bearer second-test-key").get("/api/users/123456").then().statusCode(404);
    }

    @Test
    void healthAndOpenApiStayOpen() {
        given().get(at(management, "/health/ready")).then().statusCode(200);
        given().get(at(management, "/health/live")).then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/users/{id}"));
    }
}
