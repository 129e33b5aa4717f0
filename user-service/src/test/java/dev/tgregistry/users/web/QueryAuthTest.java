package dev.tgregistry.users.web;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.QueryFixtures.assertProblem;
import static dev.tgregistry.localstack.Urls.at;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every dashboard endpoint needs the API key; health, metrics and OpenAPI do not. No data of its own. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class QueryAuthTest {
    /** The management interface's root, {@code http://localhost:<random port>/q}. */
    @TestHTTPResource(value = "", management = true)
    URL management;


    private record Call(String name, Function<RequestSpecification, Response> send) {
    }

    private static final List<Call> ENDPOINTS = List.of(
            new Call("GET search", r -> r.queryParam("q", "zq").get("/api/users/search")),
            new Call("GET by-stream", r -> r.queryParam("stream", "5th_stream").get("/api/users/by-stream")),
            new Call("GET user-activity", r -> r.get("/api/user-activity")),
            new Call("POST validate", r -> r.contentType("application/json").body("{\"user_ids\": [1]}").post("/api/users/validate")),
            new Call("GET users", r -> r.get("/api/users")),
            new Call("GET user", r -> r.get("/api/users/1")),
            new Call("GET non-course", r -> r.get("/api/users/non-course")),
            new Call("GET recent events", r -> r.queryParam("type", "recent").get("/api/events")),
            new Call("GET stats", r -> r.get("/api/stats")),
            new Call("PATCH stream", r -> r.contentType("application/json").body("{\"stream\": \"5th_stream\"}")
                    .patch("/api/users/1/stream")),
            new Call("GET users/list", r -> r.get("/api/users/list")),
            new Call("GET hackathon", r -> r.get("/api/users/hackathon")),
            new Call("GET user bookings", r -> r.get("/api/users/1/bookings")),
            new Call("PATCH user bookings", r -> r.contentType("application/json").body("{\"updates\": {\"confirmed\": 2}}")
                    .patch("/api/users/1/bookings")),
            new Call("GET stream-students", r -> r.queryParam("stream", "5th_stream").get("/api/stream-students")),
            new Call("GET bookings", r -> r.get("/api/bookings")),
            new Call("GET free-lessons", r -> r.get("/api/free-lessons")),
            new Call("GET search stats", r -> r.queryParam("stats", "true").get("/api/users/search")));

    @Test
    void everyEndpointWithoutAKeyIs401Problem() {
        for (Call call : ENDPOINTS) {
            assertProblem(call.send().apply(given()).then(), 401, "missing API key");
        }
    }

    @Test
    void everyEndpointWithAWrongKeyIs401Problem() {
        for (Call call : ENDPOINTS) {
            assertProblem(call.send().apply(given().header("Authorization", "Bearer not-the-key")).then(), 401, "wrong API key");
            assertProblem(call.send().apply(given().header("Authorization", "Bearer ")).then(), 401, "API key");
            assertProblem(call.send().apply(given().header("Authorization", "Bearer test-api-key-but-longer")).then(), 401,
                    "wrong API key");
            assertProblem(call.send().apply(given().header("Authorization", "Basic dGVzdC1hcGkta2V5")).then(), 401, "API key");
            assertProblem(call.send().apply(given().header("Authorization", "test-api-key")).then(), 401, "API key");
            assertProblem(call.send().apply(given().header("X-Api-Key", "test-api-key")).then(), 401, "API key");
        }
    }

    @Test
    void everyEndpointWithTheKeyIsNot401() {
        for (Call call : ENDPOINTS) {
            int status = call.send().apply(api()).statusCode();
            assertNotEquals(401, status, call.name());
            assertTrue(status < 500, call.name() + " answered " + status);
        }
    }

    @Test
    void aReadOnlyKeyReadsButCannotWrite() {
        RequestSpecification readOnly = given().header("Authorization", "Bearer read-only-key");
        readOnly.get("/api/stats").then().statusCode(200);
        assertProblem(readOnly.contentType("application/json").body("{\"stream\": \"5th_stream\"}")
                .patch("/api/users/1/stream").then(), 403, "lacks the write right");
        assertProblem(readOnly.contentType("application/json").body("{\"updates\": {\"confirmed\": 2}}")
                .patch("/api/users/1/bookings").then(), 403, "lacks the write right");
        // a bare key has read and write
        int status = given().header("Authorization", "Bearer second-test-key").contentType("application/json")
                .body("{\"stream\": \"5th_stream\"}").patch("/api/users/1/stream").statusCode();
        assertNotEquals(403, status);
    }

    @Test
    void aKeyWithoutTheRightIsTold403WhichRightItLacks() {
        assertProblem(given().header("Authorization", "Bearer read-only-key").delete("/api/users/1").then(), 403,
                "lacks the erase right");
        assertProblem(given().header("Authorization", "Bearer second-test-key").get("/api/users/1/export").then(), 403,
                "lacks the erase right");
        assertProblem(given().header("Authorization", "Bearer second-test-key")
                .post("/api/admin/dead-letters/telegram.user-seen.v1/replay").then(), 403, "lacks the admin right");
        assertProblem(given().header("Authorization", "Bearer read-only-key").get("/api/admin/adoption").then(), 403,
                "lacks the admin right");
    }

    /** The key is checked before routing: a made-up /api path says nothing without one. */
    @Test
    void everyApiPathNeedsTheKeyRouteOrNot() {
        assertProblem(given().get("/api/no-such-route").then(), 401, "missing API key");
        assertProblem(given().header("Authorization", "Bearer not-the-key").get("/api/no-such-route").then(), 401,
                "wrong API key");
        api().get("/api/no-such-route").then().statusCode(404);
    }

    @Test
    void aKeyIsNotCheckedOutsideApi() {
        given().header("Authorization", "Bearer not-the-key").get("/q/openapi").then().statusCode(200);
    }

    @Test
    void pathTricksDoNotBypassTheKey() {
        for (String path : List.of("/api/stats/", "/api//stats", "//api/stats", "/api/./stats", "/api/users/../stats",
                "/%61pi/stats", "/api/%73tats")) {
            Response response = given().urlEncodingEnabled(false).get(path);
            assertNotEquals(200, response.statusCode(), path + " served without a key: " + response.asString());
        }
    }

    @Test
    void healthMetricsAndOpenApiNeedNoKey() {
        given().get(at(management, "/health/ready")).then().statusCode(200);
        given().get(at(management, "/health/live")).then().statusCode(200);
        given().get(at(management, "/metrics")).then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    /** Health and metrics live on the management port only: the API port does not serve them. */
    @Test
    void healthAndMetricsAreNotOnTheApiPort() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }

    /** SREs (and the query benchmark) read server-side percentiles per endpoint from the histogram buckets. */
    @Test
    void requestTimesArePublishedAsAHistogramPerEndpoint() {
        api().get("/api/stats").then().statusCode(200);
        given().get(at(management, "/metrics")).then().statusCode(200)
                .body(containsString("http_server_requests_seconds_bucket{"))
                .body(matchesPattern("(?s).*http_server_requests_seconds_bucket\\{[^}]*uri=\"/api/stats\"[^}]*le=\"[0-9.]+\"\\} [1-9].*"));
    }
}
