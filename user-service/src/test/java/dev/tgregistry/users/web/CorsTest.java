package dev.tgregistry.users.web;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.users.TestUserIds;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.TestSupport.api;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code APP_CORS_ORIGINS} set, a page on a listed origin may call the API: preflights allow the key, the
 * version check and the API's methods, and responses expose the headers the API emits. Any other origin is refused;
 * requests without Origin are untouched. (Without the variable: {@link CorsOffByDefaultTest}.)
 */
@QuarkusTest
@TestProfile(CorsTest.DashboardOrigins.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class CorsTest {
    static final String DASHBOARD = "https://dashboard.example.com";
    static final String ADMIN = "http://localhost:3000";
    private static final long FIRST = TestUserIds.CORS.from();
    private static final String MERGE_PATCH = "application/merge-patch+json";

    public static class DashboardOrigins implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("APP_CORS_ORIGINS", DASHBOARD + "," + ADMIN);
        }
    }

    @BeforeEach
    void clean() {
        cleanRange(TestUserIds.CORS.from(), TestUserIds.CORS.to());
    }

    @Test
    void aPreflightFromAListedOriginAllowsTheKeyTheVersionCheckAndTheApisMethods() {
        Response preflight = given().header("Origin", DASHBOARD)
                .header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "authorization,if-match,content-type")
                .options("/api/users/" + FIRST + "/profile");
        assertTrue(Set.of(200, 204).contains(preflight.statusCode()), "preflight status " + preflight.statusCode());
        assertEquals(DASHBOARD, preflight.header("Access-Control-Allow-Origin"));
        assertEquals(Set.of("GET", "POST", "PATCH", "DELETE"), list(preflight.header("Access-Control-Allow-Methods")));
        assertEquals(Set.of("AUTHORIZATION", "IF-MATCH", "CONTENT-TYPE"), list(preflight.header("Access-Control-Allow-Headers")));
        assertEquals("3600", preflight.header("Access-Control-Max-Age"));
        assertNotEquals("true", preflight.header("Access-Control-Allow-Credentials"), "no cookies: the key is a header");

        Response second = given().header("Origin", ADMIN).header("Access-Control-Request-Method", "DELETE")
                .options("/api/users/" + FIRST);
        assertEquals(ADMIN, second.header("Access-Control-Allow-Origin"), "every listed origin");
    }

    @Test
    void callsFromAListedOriginCarryItsOriginAndExposeTheApisHeaders() {
        long id = FIRST + 1;
        fromDashboard().contentType(MERGE_PATCH).body("{\"nickname\": \"cors_a\"}").patch("/api/users/" + id + "/profile")
                .then().statusCode(200).header("Access-Control-Allow-Origin", DASHBOARD);
        Response patched = fromDashboard().contentType(MERGE_PATCH).header("If-Match", "\"1\"")
                .body("{\"study_track\": \"math\"}").patch("/api/users/" + id + "/profile");
        patched.then().statusCode(200).header("ETag", "\"2\"").header("Access-Control-Allow-Origin", DASHBOARD);
        assertExposes(patched);

        Response profile = fromDashboard().get("/api/users/" + id + "/profile");
        profile.then().statusCode(200).header("ETag", "\"2\"").header("Access-Control-Allow-Origin", DASHBOARD);
        assertExposes(profile);

        fromDashboard().contentType(MERGE_PATCH).body("{\"nickname\": \"cors_b\"}").patch("/api/users/" + (id + 1) + "/profile")
                .then().statusCode(200);
        Response page = fromDashboard().queryParam("limit", 1).get("/api/users/non-course");
        page.then().statusCode(200).header("Access-Control-Allow-Origin", DASHBOARD)
                .header("X-Next-Cursor", not(emptyString())).header("Link", notNullValue());
        assertExposes(page);

        fromDashboard().contentType("application/json").body("{\"user_ids\": [" + id + "]}").post("/api/users/validate")
                .then().statusCode(200).header("Access-Control-Allow-Origin", DASHBOARD).body("valid_count", equalTo(1));
        fromDashboard().delete("/api/users/" + id)
                .then().statusCode(200).header("Access-Control-Allow-Origin", DASHBOARD);
    }

    @Test
    void anotherOriginIsRefusedWhileCallsWithoutOriginAreUntouched() {
        for (String origin : new String[] {"https://evil.example", "http://dashboard.example.com",
                DASHBOARD + ".evil.example", DASHBOARD + ":8443", "null"}) {
            Response call = api().header("Origin", origin).get("/api/stats");
            assertEquals(403, call.statusCode(), origin);
            assertEquals(null, call.header("Access-Control-Allow-Origin"), origin);
            assertTrue(call.body().asString().isEmpty(), origin + " gets no data");

            Response preflight = given().header("Origin", origin).header("Access-Control-Request-Method", "GET")
                    .header("Access-Control-Request-Headers", "authorization").options("/api/stats");
            assertEquals(403, preflight.statusCode(), origin);
            assertEquals(null, preflight.header("Access-Control-Allow-Origin"), origin);
        }
        api().get("/api/stats").then().statusCode(200).header("Access-Control-Allow-Origin", nullValue())
                .header("Access-Control-Expose-Headers", nullValue());
        given().get("/api/stats").then().statusCode(is(401));
    }

    private static io.restassured.specification.RequestSpecification fromDashboard() {
        return api().header("Origin", DASHBOARD);
    }

    private static void assertExposes(Response response) {
        Set<String> exposed = list(response.header("Access-Control-Expose-Headers"));
        assertTrue(exposed.containsAll(Set.of("ETAG", "X-NEXT-CURSOR", "LINK", "CONTENT-DISPOSITION")), "exposed " + exposed);
    }

    /** A comma-separated header value as a set, upper case (header names are case-insensitive). */
    static Set<String> list(String header) {
        Set<String> items = new TreeSet<>();
        if (header != null) {
            Arrays.stream(header.split(",")).map(String::strip).map(String::toUpperCase).forEach(items::add);
        }
        return items;
    }
}
