package dev.tgregistry.users.user;

import dev.tgregistry.users.TestUserIds;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.sql;
import static dev.tgregistry.users.QueryFixtures.assertProblem;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /api/users/validate. User ids 7_400_000..7_499_999 (the 10,000-id requests use 7_410_000..7_420_000). */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class ValidateQueryTest {
    static final long FROM = TestUserIds.VALIDATE_QUERY.from();
    static final long TO = TestUserIds.VALIDATE_QUERY.to();

    @BeforeEach
    void clean() {
        cleanRange(FROM, TO);
        sql(user(7_400_001, "zq_valid", "Valid", "One", "now()"),
                user(7_400_002, null, "Second", null, "now()"),
                user(7_400_003, "zq_blocked", "Blocked", null, "now()", false),
                user(7_400_004, null, null, null, "now()"));
    }

    private static ValidatableResponse validate(String body) {
        return api().contentType("application/json").body(body).post("/api/users/validate").then();
    }

    private static JsonPath ok(String body) {
        return validate(body).statusCode(200).contentType("application/json").extract().jsonPath();
    }

    private static Set<String> validIds(JsonPath result) {
        List<Map<String, Object>> valid = result.getList("valid_users");
        return valid.stream().map(item -> (String) item.get("user_id")).collect(Collectors.toSet());
    }

    @Test
    void splitsKnownUnknownAndBlockedIdsGivenAsStringsOrNumbers() {
        JsonPath result = ok("{\"user_ids\": [7400001, \"7400002\", \"7400003\", 7400004, 7400901, \"7400902\"]}");
        assertEquals(Set.of("7400001", "7400002", "7400003", "7400004"), validIds(result));
        assertEquals(Set.of("7400901", "7400902"), new HashSet<>(result.getList("invalid_user_ids")));
        assertEquals(List.of("7400003"), result.getList("inactive_user_ids"));
        assertEquals(4, result.getInt("valid_count"));
        assertEquals(2, result.getInt("invalid_count"));
        assertEquals(Set.of("valid_users", "invalid_user_ids", "inactive_user_ids", "valid_count", "invalid_count", "statuses",
                "status_counts"), result.getMap("$").keySet());
        assertTrue(result.get("valid_count") instanceof Number, "counts are JSON numbers");
    }

    @Test
    void validUsersCarryTheContractFields() {
        JsonPath result = ok("{\"user_ids\": [\"7400001\", 7400003, 7400004]}");
        List<Map<String, Object>> valid = result.getList("valid_users");
        assertEquals(3, valid.size());
        for (Map<String, Object> item : valid) {
            assertEquals(Set.of("user_id", "username", "first_name", "display_name", "is_active", "reachable_by_dm"), item.keySet());
            assertTrue(item.get("user_id") instanceof String, "user_id is a JSON string");
        }
        Map<String, Map<String, Object>> byId = valid.stream().collect(Collectors.toMap(item -> (String) item.get("user_id"), item -> item));
        assertEquals("zq_valid", byId.get("7400001").get("username"));
        assertEquals("Valid", byId.get("7400001").get("first_name"));
        assertEquals("@zq_valid", byId.get("7400001").get("display_name"));
        assertEquals(true, byId.get("7400001").get("is_active"));
        // blocked users are still valid recipients, flagged inactive
        assertEquals(false, byId.get("7400003").get("is_active"));
        assertEquals("User 7400004", byId.get("7400004").get("display_name"));
    }

    /** Users in every state the registry can hold, set directly: what each requested id would meet, in request order. */
    @Test
    void eachIdIsAnsweredWithWhatAMessageWouldMeet() {
        sql("UPDATE users SET private_chat_since = now() WHERE user_id IN (7400001, 7400003)",
                "UPDATE users SET private_chat_since = '-infinity' WHERE user_id = 7400004", // adopted: counts as a private chat
                user(7_400_005, "zq_deactivated", null, null, "now()", false),
                "UPDATE users SET unreachable_reason = 'deactivated', unreachable_at = now(), private_chat_since = now() "
                        + "WHERE user_id = 7400005",
                user(7_400_006, "zq_cant", null, null, "now()"),
                "UPDATE users SET unreachable_reason = 'cant_initiate', unreachable_at = now() WHERE user_id = 7400006",
                user(7_400_007, "zq_other", null, null, "now()"),
                "UPDATE users SET unreachable_reason = 'other', unreachable_at = now(), private_chat_since = now() "
                        + "WHERE user_id = 7400007");
        JsonPath result = ok("{\"user_ids\": [7400007, \"7400006\", 7400005, 7400004, 7400003, 7400002, 7400001, 7400901, 7400006]}");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("7400007", "ok"); // a 403 about another chat: the private chat still works
        expected.put("7400006", "not_reachable_by_dm");
        expected.put("7400005", "deactivated");
        expected.put("7400004", "ok");
        expected.put("7400003", "blocked"); // inactive without a recorded reason: blocked before reasons were kept
        expected.put("7400002", "not_reachable_by_dm"); // never seen in a private chat
        expected.put("7400001", "ok");
        expected.put("7400901", "unknown");
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(result.<String, String>getMap("statuses").entrySet()),
                "every id once, in request order");
        assertEquals(Map.of("ok", 3, "not_reachable_by_dm", 2, "deactivated", 1, "blocked", 1, "unknown", 1),
                result.getMap("status_counts"));
        assertEquals(Set.of("7400003", "7400005"), new HashSet<>(result.getList("inactive_user_ids")));
        Map<String, Map<String, Object>> byId = result.<Map<String, Object>>getList("valid_users").stream()
                .collect(Collectors.toMap(item -> (String) item.get("user_id"), item -> item));
        assertEquals(true, byId.get("7400001").get("reachable_by_dm"));
        assertEquals(false, byId.get("7400002").get("reachable_by_dm"));
        assertEquals(false, byId.get("7400006").get("reachable_by_dm"));
    }

    @Test
    void allIdsUnknownAreAllInvalid() {
        JsonPath result = ok("{\"user_ids\": [7400991, \"7400992\", \"9223372036854775807\"]}");
        assertEquals(List.of(), result.getList("valid_users"));
        assertEquals(Set.of("7400991", "7400992", "9223372036854775807"), new HashSet<>(result.getList("invalid_user_ids")));
        assertEquals(List.of(), result.getList("inactive_user_ids"));
        assertEquals(0, result.getInt("valid_count"));
        assertEquals(3, result.getInt("invalid_count"));
    }

    @Test
    void idsBeyondJavaScriptPrecisionSurviveAsNumbersAndStrings() {
        // 2^53 + 1 and beyond: a JSON number must be read as an exact 64-bit integer, and answered as a string
        sql("DELETE FROM users WHERE user_id IN (74000000000000001, 74000000000000003)",
                user(74_000_000_000_000_001L, "zq_big", null, null, "now()"));
        try {
            JsonPath result = ok("{\"user_ids\": [74000000000000001, \"74000000000000003\", 74000000000000003]}");
            assertEquals(Set.of("74000000000000001"), validIds(result));
            assertEquals(List.of("74000000000000003"), result.getList("invalid_user_ids"));
            assertEquals(1, result.getInt("valid_count"));
            assertEquals(1, result.getInt("invalid_count"));
        } finally {
            sql("DELETE FROM users WHERE user_id IN (74000000000000001, 74000000000000003)");
        }
    }

    @Test
    void duplicatesCollapse() {
        JsonPath result = ok("{\"user_ids\": [7400001, \"7400001\", 7400001, \"7400003\", 7400003, 7400999, \"7400999\"]}");
        assertEquals(2, result.getList("valid_users").size());
        assertEquals(Set.of("7400001", "7400003"), validIds(result));
        assertEquals(List.of("7400999"), result.getList("invalid_user_ids"));
        assertEquals(List.of("7400003"), result.getList("inactive_user_ids"));
        assertEquals(2, result.getInt("valid_count"));
        assertEquals(1, result.getInt("invalid_count"));
    }

    @Test
    void anItemThatIsNotAPositiveIntegerIs400NamingIt() {
        assertProblem(validate("{\"user_ids\": [7400001, \"abc\"]}"), 400, "abc");
        assertProblem(validate("{\"user_ids\": [\"12x\"]}"), 400, "12x");
        assertProblem(validate("{\"user_ids\": [-5]}"), 400, "-5");
        assertProblem(validate("{\"user_ids\": [0]}"), 400, "0");
        assertProblem(validate("{\"user_ids\": [1.5]}"), 400, "1.5");
        assertProblem(validate("{\"user_ids\": [null]}"), 400, "null");
        assertProblem(validate("{\"user_ids\": [true]}"), 400, "true");
        assertProblem(validate("{\"user_ids\": [{\"id\": 1}]}"), 400, "user_ids");
        assertProblem(validate("{\"user_ids\": [\"99999999999999999999\"]}"), 400, "99999999999999999999");
        assertProblem(validate("{\"user_ids\": [99999999999999999999]}"), 400, "99999999999999999999");
    }

    @Test
    void aMissingEmptyOrMalformedListIs400() {
        assertProblem(validate("{}"), 400, "user_ids");
        assertProblem(validate("{\"user_ids\": []}"), 400, "user_ids");
        assertProblem(validate("{\"user_ids\": \"7400001\"}"), 400, "user_ids");
        assertProblem(validate("{\"user_ids\": null}"), 400, "user_ids");
        assertProblem(validate("[7400001]"), 400, "user_ids");
    }

    @Test
    void aMalformedBodyIs400SayingTheJsonIsMalformed() {
        assertProblem(validate("{\"user_ids\": [1,"), 400, "JSON");
        assertProblem(validate("user_ids=1"), 400, "JSON");
    }

    @Test
    void tenThousandIdsAreAcceptedAndOneMoreIsRefused() {
        String exactly = LongStream.range(7_410_002, 7_420_000).mapToObj(Long::toString)
                .collect(Collectors.joining(",", "{\"user_ids\": [7400001,7400003,", "]}"));
        JsonPath result = ok(exactly);
        assertEquals(2, result.getInt("valid_count"));
        assertEquals(9_998, result.getInt("invalid_count"));
        assertEquals(9_998, result.getList("invalid_user_ids").size());
        assertEquals(List.of("7400003"), result.getList("inactive_user_ids"));

        String tenThousandOne = LongStream.range(7_410_000, 7_420_001).mapToObj(Long::toString)
                .collect(Collectors.joining(",", "{\"user_ids\": [", "]}"));
        assertProblem(validate(tenThousandOne), 400, "user_ids");
    }

    /** A large request is looked up in two halves of the sorted ids: users at both ends and in the middle are found. */
    @Test
    void aLargeRequestFindsUsersAcrossTheWholeIdRange() {
        sql(user(7_450_000, "zq_middle", null, null, "now()"), user(7_499_990, "zq_high", null, null, "now()", false));
        String body = LongStream.range(7_440_000, 7_460_000).filter(id -> id % 4 == 0).mapToObj(Long::toString)
                .collect(Collectors.joining(",", "{\"user_ids\": [7499990,", ",7400001]}"));
        JsonPath result = ok(body);
        assertEquals(Set.of("7400001", "7450000", "7499990"), validIds(result));
        assertEquals(3, result.getInt("valid_count"));
        assertEquals(4_999, result.getInt("invalid_count"));
        assertEquals(List.of("7499990"), result.getList("inactive_user_ids"));
    }

    private static String validate200(String body) {
        return validate(body).statusCode(200).contentType("application/json").extract().asString();
    }

    private static String entry(long id, String username, String firstName, String displayName, boolean active) {
        return "{\"user_id\":\"%d\",\"username\":%s,\"first_name\":%s,\"display_name\":\"%s\",\"is_active\":%s,\"reachable_by_dm\":false}"
                .formatted(id, quoted(username), quoted(firstName), displayName, active);
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }

    /** The body is the contract's, byte for byte (docs/API.md): field order, strings for ids, nulls, no spaces. */
    @Test
    void theBodyIsExactlyTheDocumentedJson() {
        assertEquals("{\"valid_users\":[" + entry(7_400_001, "zq_valid", "Valid", "@zq_valid", true) + ","
                        + entry(7_400_002, null, "Second", "Second", true) + ","
                        + entry(7_400_003, "zq_blocked", "Blocked", "@zq_blocked", false) + "],"
                        + "\"invalid_user_ids\":[\"7400901\"],\"inactive_user_ids\":[\"7400003\"],\"valid_count\":3,\"invalid_count\":1,"
                        + "\"statuses\":{\"7400003\":\"blocked\",\"7400901\":\"unknown\",\"7400001\":\"not_reachable_by_dm\","
                        + "\"7400002\":\"not_reachable_by_dm\"},"
                        + "\"status_counts\":{\"unknown\":1,\"blocked\":1,\"deactivated\":0,\"not_reachable_by_dm\":2,\"ok\":0}}",
                validate200("{\"user_ids\": [7400003, \"7400901\", 7400001, 7400002, 7400003]}"));
    }

    /** A request looked up in two halves answers exactly as one lookup would: users of both halves in id order. */
    @Test
    void aLargeRequestsBodyIsExactlyTheDocumentedJson() {
        sql(user(7_450_000, "zq_middle", null, null, "now()"), user(7_499_990, "zq_high", null, null, "now()", false));
        List<Long> requested = new java.util.ArrayList<>(List.of(7_499_990L));
        LongStream.range(7_440_000, 7_460_000).filter(id -> id % 4 == 0).forEach(requested::add);
        requested.add(7_400_001L);
        Set<Long> found = Set.of(7_400_001L, 7_450_000L, 7_499_990L);
        StringBuilder expected = new StringBuilder("{\"valid_users\":[")
                .append(entry(7_400_001, "zq_valid", "Valid", "@zq_valid", true)).append(',')
                .append(entry(7_450_000, "zq_middle", null, "@zq_middle", true)).append(',')
                .append(entry(7_499_990, "zq_high", null, "@zq_high", false))
                .append("],\"invalid_user_ids\":[")
                .append(requested.stream().filter(id -> !found.contains(id)).map(id -> "\"" + id + "\"").collect(Collectors.joining(",")))
                .append("],\"inactive_user_ids\":[\"7499990\"],\"valid_count\":3,\"invalid_count\":").append(requested.size() - 3)
                .append(",\"statuses\":{")
                .append(requested.stream().map(id -> "\"" + id + "\":\"" + (id == 7_499_990L ? "blocked" : found.contains(id) ? "not_reachable_by_dm" : "unknown") + "\"")
                        .collect(Collectors.joining(",")))
                .append("},\"status_counts\":{\"unknown\":").append(requested.size() - 3)
                .append(",\"blocked\":1,\"deactivated\":0,\"not_reachable_by_dm\":2,\"ok\":0}}");
        assertTrue(requested.size() >= 2_000, "large enough to be looked up in two halves");
        assertEquals(expected.toString(), validate200(requested.stream().map(Object::toString)
                .collect(Collectors.joining(",", "{\"user_ids\": [", "]}"))));
    }
}
