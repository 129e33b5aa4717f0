package dev.tgregistry.users.reachability;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.users.TestUserIds;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tgregistry.users.QueryFixtures.assertProblem;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/users/send-results}: the dashboard's own send results, posted as docs/API.md shows them, applied
 * like a bot's report; what validate then answers per id; bad bodies; erased users stay erased. User ids
 * 7_931_000..7_931_999.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class SendResultsTest {
    static final long FROM = TestUserIds.SEND_RESULTS.from();
    private static final Path API_DOC = Path.of("../docs/API.md");
    private static final Pattern DOC_BODY = Pattern.compile("<!-- POST /api/users/send-results -->\\s*```json\\n(.*?)```", Pattern.DOTALL);

    @BeforeEach
    void clean() {
        cleanRange(FROM, TestUserIds.SEND_RESULTS.to());
        sql("DELETE FROM erased_users WHERE user_id BETWEEN " + FROM + " AND " + TestUserIds.SEND_RESULTS.to(),
                "DELETE FROM audit_log WHERE user_id BETWEEN " + FROM + " AND " + TestUserIds.SEND_RESULTS.to());
    }

    /** A user seen in their private chat with the bot at 10:00 on the day of the documented example. */
    private static String seenInPrivate(long id) {
        return "INSERT INTO users (user_id, first_seen_at, last_seen_at, private_chat_since, private_chat_seen_at) VALUES ("
                + id + ", '2026-11-20T10:00:00Z', '2026-11-20T10:00:00Z', '2026-11-20T10:00:00Z', '2026-11-20T10:00:00Z')";
    }

    private static ValidatableResponse post(String body) {
        return api().contentType("application/json").body(body).post("/api/users/send-results").then();
    }

    private static JsonPath validate(long... ids) {
        StringBuilder body = new StringBuilder("{\"user_ids\": [");
        for (int i = 0; i < ids.length; i++) {
            body.append(i == 0 ? "" : ", ").append('"').append(ids[i]).append('"');
        }
        return api().contentType("application/json").body(body.append("]}").toString()).post("/api/users/validate")
                .then().statusCode(200).extract().jsonPath();
    }

    static String documentedBody() throws IOException {
        Matcher block = DOC_BODY.matcher(Files.readString(API_DOC));
        assertTrue(block.find(), "docs/API.md has the send-results example");
        return block.group(1);
    }

    @Test
    void theDocumentedResultsAreAppliedAndValidateThenAnswersPerId() throws IOException {
        sql(seenInPrivate(FROM + 1), seenInPrivate(FROM + 2), seenInPrivate(FROM + 3), seenInPrivate(FROM + 4),
                seenInPrivate(FROM + 5),
                // 7931001 had blocked the bot before the broadcast: the delivery shows the block is over
                "UPDATE users SET is_active = false, active_changed_at = '2026-11-20T10:05:00Z', unreachable_reason = 'blocked', "
                        + "unreachable_at = '2026-11-20T10:05:00Z' WHERE user_id = " + (FROM + 1));
        String body = documentedBody();
        JsonPath report = post(body).statusCode(200).extract().jsonPath();
        assertEquals(6, report.getInt("received"));
        assertEquals(4, report.getInt("changed"));
        assertEquals(1, report.getInt("ignored"), "the 429 says nothing about the user");
        assertEquals(List.of("7931009"), report.getList("unknown_user_ids"));
        assertNull(scalar("SELECT user_id FROM users WHERE user_id = 7931009"), "a send result never creates a user");

        JsonPath validation = validate(FROM + 1, FROM + 2, FROM + 3, FROM + 4, FROM + 5, FROM + 9);
        assertEquals(Map.of("7931001", "ok", "7931002", "blocked", "7931003", "deactivated", "7931004", "not_reachable_by_dm",
                "7931005", "ok", "7931009", "unknown"), validation.getMap("statuses"));
        assertEquals(Map.of("ok", 2, "blocked", 1, "deactivated", 1, "not_reachable_by_dm", 1, "unknown", 1),
                validation.getMap("status_counts"));
        assertEquals(List.of("7931002", "7931003"), validation.getList("inactive_user_ids"));
        api().get("/api/users/" + (FROM + 3)).then().statusCode(200)
                .body("user.unreachable_reason", org.hamcrest.Matchers.equalTo("deactivated"))
                .body("user.unreachable_at", org.hamcrest.Matchers.equalTo("2026-11-20T10:16:02.000Z"));

        // the same results again change nothing
        assertEquals(0, post(body).statusCode(200).extract().jsonPath().getInt("changed"));
    }

    @Test
    void aDeliveryEndsADeactivationButAResultOlderThanTheRecordChangesNothing() {
        long id = FROM + 20;
        sql(seenInPrivate(id));
        post("{\"results\": [{\"user_id\": " + id + ", \"error_code\": 403, \"description\": \"Forbidden: user is deactivated\","
                + " \"at\": \"2026-11-20T11:00:00Z\"}]}").statusCode(200);
        post("{\"results\": [{\"user_id\": \"" + id + "\", \"ok\": true, \"at\": \"2026-11-20T10:30:00Z\"}]}").statusCode(200);
        assertEquals(Map.of(String.valueOf(id), "deactivated"), validate(id).getMap("statuses"), "older than the failure");
        post("{\"results\": [{\"user_id\": \"" + id + "\", \"ok\": true, \"at\": \"2026-11-20T12:00:00Z\"}]}").statusCode(200);
        assertEquals(Map.of(String.valueOf(id), "ok"), validate(id).getMap("statuses"));
    }

    @Test
    void ofSeveralResultsForOneUserTheNewestCounts() {
        long id = FROM + 30;
        sql(seenInPrivate(id));
        JsonPath report = post("{\"results\": ["
                + "{\"user_id\": \"" + id + "\", \"ok\": true, \"at\": \"2026-11-20T12:00:00Z\"},"
                + "{\"user_id\": \"" + id + "\", \"error_code\": 403, \"description\": \"Forbidden: bot was blocked by the user\", \"at\": \"2026-11-20T11:00:00Z\"}"
                + "]}").statusCode(200).extract().jsonPath();
        assertEquals(2, report.getInt("received"));
        assertEquals(Map.of(String.valueOf(id), "ok"), validate(id).getMap("statuses"));
    }

    @Test
    void anErasedUserIsNotBroughtBack() {
        long id = FROM + 40;
        sql(seenInPrivate(id));
        api().delete("/api/users/" + id).then().statusCode(200);
        JsonPath report = post("{\"results\": [{\"user_id\": \"" + id + "\", \"error_code\": 403, \"at\": \"2026-11-20T11:00:00Z\"},"
                + "{\"user_id\": \"" + id + "\", \"ok\": true, \"at\": \"2026-11-20T11:01:00Z\"}]}")
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of(String.valueOf(id)), report.getList("unknown_user_ids"));
        assertNull(scalar("SELECT user_id FROM users WHERE user_id = " + id));
    }

    @Test
    void reportingNeedsTheWriteRight() throws IOException {
        given().header("Authorization", "Bearer read-only-key").contentType("application/json").body(documentedBody())
                .post("/api/users/send-results").then().statusCode(403);
        assertNull(scalar("SELECT unreachable_reason FROM users WHERE user_id = 7931002"));
    }

    @Test
    void aBadItemIsA400NamingItAndNothingIsApplied() {
        long id = FROM + 50;
        sql(seenInPrivate(id));
        String blocked = "{\"user_id\": \"" + id + "\", \"error_code\": 403, \"at\": \"2026-11-20T11:00:00Z\"}";
        assertProblem(post("{}"), 400, "results");
        assertProblem(post("{\"results\": []}"), 400, "results");
        assertProblem(post("{\"results\": {}}"), 400, "results");
        assertProblem(post("{\"results\": [" + blocked + ", 7]}"), 400, "results[1]");
        assertProblem(post("{\"results\": [" + blocked + ", {\"user_id\": \"-5\", \"ok\": true, \"at\": \"2026-11-20T11:00:00Z\"}]}"),
                400, "results[1].user_id");
        assertProblem(post("{\"results\": [{\"user_id\": 1, \"ok\": true}]}"), 400, "results[0].at");
        assertProblem(post("{\"results\": [{\"user_id\": 1, \"ok\": true, \"at\": \"yesterday\"}]}"), 400, "results[0].at");
        assertProblem(post("{\"results\": [{\"user_id\": 1, \"ok\": true, \"at\": \"2099-01-01T00:00:00Z\"}]}"), 400, "results[0].at");
        assertProblem(post("{\"results\": [{\"user_id\": 1, \"ok\": true, \"at\": \"2012-12-31T00:00:00Z\"}]}"), 400, "results[0].at");
        assertProblem(post("{\"results\": [{\"user_id\": 1, \"at\": \"2026-11-20T11:00:00Z\"}]}"), 400, "results[0].error_code");
        assertProblem(post("{\"results\": [{\"user_id\": 1, \"error_code\": \"403\", \"at\": \"2026-11-20T11:00:00Z\"}]}"), 400,
                "results[0].error_code");
        assertProblem(post("{\"results\": [{\"user_id\": 1, \"error_code\": 403.5, \"at\": \"2026-11-20T11:00:00Z\"}]}"), 400,
                "results[0].error_code");
        assertProblem(post("{\"results\": [{\"user_id\": 1, \"ok\": true, \"error_code\": 403, \"at\": \"2026-11-20T11:00:00Z\"}]}"),
                400, "results[0].error_code");
        assertProblem(post("{\"results\": [{\"user_id\": 1, \"ok\": \"yes\", \"at\": \"2026-11-20T11:00:00Z\"}]}"), 400, "results[0].ok");
        assertProblem(post("{\"results\": [{\"user_id\": 1, \"error_code\": 403, \"description\": \"" + "x".repeat(1001)
                + "\", \"at\": \"2026-11-20T11:00:00Z\"}]}"), 400, "results[0].description");
        assertEquals(Map.of(String.valueOf(id), "ok"), validate(id).getMap("statuses"), "the valid first item was not applied");
    }
}
