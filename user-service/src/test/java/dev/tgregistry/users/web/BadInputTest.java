package dev.tgregistry.users.web;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import dev.tgregistry.users.TestUserIds;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static dev.tgregistry.users.QueryFixtures.assertProblem;

/**
 * Bad input to user-service is a 4xx problem naming what is wrong, never a 500, and nothing is written. User ids
 * from {@link TestUserIds#BAD_INPUT} (nothing may be stored under them).
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class BadInputTest {

    @Test
    void idsBeyond64BitsAre400OnEveryPath() {
        for (String id : new String[]{"9999999999999999999", "99999999999999999999999", "-1", "0"}) {
            assertProblem(api().get("/api/users/" + id).then(), 400, "must be a positive integer");
            assertProblem(api().contentType("application/json").body("{\"stream\": \"5th_stream\"}")
                    .patch("/api/users/" + id + "/stream").then(), 400, "must be a positive integer");
        }
        // non-ASCII digits arrive percent-encoded: refused with the path before routing (see ExactPathApiTest)
        assertProblem(api().get("/api/users/٣٤٥").then(), 400, "path segment");
        assertProblem(api().contentType("application/json").body("{\"user_ids\": [\"9999999999999999999\"]}")
                .post("/api/users/validate").then(), 400, "user_ids[0]");
    }

    @Test
    void aBodyOverOneMebibyteIs413BeforeItIsRead() {
        StringBuilder ids = new StringBuilder("{\"user_ids\": [");
        while (ids.length() < 10 * 1024 * 1024) {
            ids.append("\"1234567890123\",");
        }
        ids.append("\"1\"]}");
        assertProblem(api().contentType("application/json").body(ids.toString()).post("/api/users/validate").then(),
                413, "exceeds the limit of 1 MiB");
    }

    private static final long USER = TestUserIds.BAD_INPUT.from();
    private static final String NUL = "a\\u0000b";
    private static final String LONE_HIGH = "n\\ud800";
    private static final String LONE_LOW = "n\\udc00";

    private static ValidatableResponse patchProfile(String json) {
        return api().contentType("application/json").body(json).patch("/api/users/" + USER + "/profile").then();
    }

    @Test
    void textPostgreSQLCannotStoreIs400NamingTheFieldAndNothingIsWritten() {
        for (String field : new String[]{"real_name", "nickname", "phone", "study_track", "grade_band"}) {
            for (String bad : new String[]{NUL, LONE_HIGH, LONE_LOW}) {
                assertProblem(patchProfile("{\"" + field + "\": \"" + bad + "\"}"), 400, field);
            }
        }
        assertProblem(patchProfile("{\"attributes\": {\"k\": \"" + NUL + "\"}}"), 400, "attributes.k");
        assertProblem(patchProfile("{\"attributes\": {\"k\": [1, \"" + LONE_HIGH + "\"]}}"), 400, "attributes.k[1]");
        assertProblem(patchProfile("{\"attributes\": {\"" + NUL + "\": 1}}"), 400, "attributes member name");
        assertProblem(api().contentType("application/json").body("{\"bookingId\": null, \"updates\": {\"referral_code\": \"" + NUL + "\"}}")
                .patch("/api/users/" + USER + "/bookings").then(), 400, "updates.referral_code");
        assertEquals(0L, scalar("SELECT count(*) FROM user_profiles WHERE user_id = " + USER));
        assertEquals(0L, scalar("SELECT count(*) FROM users WHERE user_id = " + USER));
    }

    @Test
    void numbersBeyondADoubleAreRefusedNotStoredAsInfinity() {
        assertProblem(patchProfile("{\"attributes\": {\"n\": 1e400}}"), 400, "attributes.n");
        assertProblem(patchProfile("{\"attributes\": {\"n\": -1e400}}"), 400, "attributes.n");
    }

    @Test
    void aDuplicatedMemberIs400NamingIt() {
        assertProblem(patchProfile("{\"nickname\": \"a\", \"nickname\": \"b\"}"), 400, "nickname");
        assertProblem(api().contentType("application/json").body("{\"user_ids\": [\"1\"], \"user_ids\": [\"2\"]}")
                .post("/api/users/validate").then(), 400, "user_ids");
    }

    @Test
    void nulInAQueryParameterIs400NamingIt() {
        String[][] routes = {{"/api/users/by-nickname", "nickname"}, {"/api/users/lookup", "username"},
                {"/api/users/by-phone", "phone"}, {"/api/users/list", "search"}, {"/api/users/list", "stream"},
                {"/api/users/search", "q"}};
        for (String[] route : routes) {
            assertProblem(api().urlEncodingEnabled(false).get(route[0] + "?" + route[1] + "=a%00b").then(), 400, route[1]);
        }
    }

    @Test
    void errorDetailsSpeakTheContractNotJava() {
        String deep = "[".repeat(2000) + "]".repeat(2000);
        for (String body : new String[]{"{\"attributes\": " + deep + "}", "{\"user_ids\": {\"a\": 1}}", "{\"user_ids\": [1.5]}"}) {
            ValidatableResponse answer = body.contains("user_ids")
                    ? api().contentType("application/json").body(body).post("/api/users/validate").then()
                    : patchProfile(body);
            answer.statusCode(400).body("detail", not(matchesPattern("(?s).*(java\\.|com\\.fasterxml|Constraints|ObjectNode|`).*")));
        }
    }
}
