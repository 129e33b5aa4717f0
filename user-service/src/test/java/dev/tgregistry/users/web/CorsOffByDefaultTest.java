package dev.tgregistry.users.web;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static dev.tgregistry.users.TestSupport.api;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without {@code APP_CORS_ORIGINS} no other origin may call the API: a page elsewhere is refused (403, no
 * Access-Control-Allow-Origin) before its call reaches a resource or its key is checked, and its preflight allows
 * nothing. Requests without
 * Origin (bots, servers, curl) and same-origin ones (Swagger UI's Try-it) work as before.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class CorsOffByDefaultTest {
    @TestHTTPResource("/")
    URL base;

    @Test
    void aCallFromAnotherOriginIsRefusedWhileTheSameCallWithoutOriginOrFromTheSameOriginPasses() {
        for (String origin : new String[] {CorsTest.DASHBOARD, CorsTest.ADMIN}) {
            Response call = api().header("Origin", origin).get("/api/stats");
            assertEquals(403, call.statusCode(), origin);
            assertEquals(null, call.header("Access-Control-Allow-Origin"), origin);
            assertTrue(call.body().asString().isEmpty(), origin + " gets no data");
        }
        given().header("Origin", CorsTest.DASHBOARD).get("/api/stats").then().statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());

        api().get("/api/stats").then().statusCode(200).header("Access-Control-Allow-Origin", nullValue());
        api().contentType("application/json").body("{\"user_ids\": [1]}").post("/api/users/validate")
                .then().statusCode(200);
        given().get("/api/stats").then().statusCode(401);
        String self = "http://" + base.getHost() + ":" + base.getPort();
        api().header("Origin", self).contentType("application/json").body("{\"user_ids\": [1]}")
                .post("/api/users/validate").then().statusCode(200);
    }

    @Test
    void aPreflightFromAnotherOriginIsRefusedAndAllowsNothing() {
        Response preflight = given().header("Origin", CorsTest.DASHBOARD)
                .header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "authorization,if-match,content-type")
                .options("/api/users/1/profile");
        assertEquals(403, preflight.statusCode());
        assertEquals(null, preflight.header("Access-Control-Allow-Origin"));
    }
}
