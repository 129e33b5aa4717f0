package dev.tgregistry.users.names;

import dev.tgregistry.users.TestSupport;
import dev.tgregistry.users.TestUserIds;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.Topics;
import dev.tgregistry.model.UserSeen;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Name history through the real broker: GET /api/users/{id}/names, "who was @x" (GET /api/users/lookup, with and
 * without a time) and search by a former name. User ids 7_120_000_000..7_120_099_999.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class NameHistoryTest {
    static final long FROM = TestUserIds.NAME_HISTORY.from();
    static final long TO = TestUserIds.NAME_HISTORY.to();
    private static final Instant T1 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2025-03-02T10:00:00Z");
    private static final Instant T3 = Instant.parse("2025-03-10T10:00:00Z");
    private static final Instant T4 = Instant.parse("2025-03-11T10:00:00Z");
    private static final Instant T5 = Instant.parse("2025-03-20T10:00:00Z");
    private static final Instant T6 = Instant.parse("2025-04-01T10:00:00Z");

    @BeforeEach
    void clean() {
        String range = " WHERE user_id BETWEEN " + FROM + " AND " + TO;
        sql("DELETE FROM user_name_history" + range, "DELETE FROM events" + range, "DELETE FROM users" + range);
    }

    @Test
    void renamesIncludingARenameBackAreListedWithFirstAndLastSighting() {
        long id = FROM + 1;
        renameStory(id, "zqh_alpha", "zqh_beta");

        api().get("/api/users/" + id + "/names").then().statusCode(200)
                .body("user_id", equalTo(Long.toString(id)))
                .body("names.size()", equalTo(2))
                .body("names[0].username", equalTo("zqh_alpha"))
                .body("names[0].first_name", equalTo("Al"))
                .body("names[0].first_seen_at", equalTo("2025-03-01T10:00:00.000Z"))
                .body("names[0].last_seen_at", equalTo("2025-03-20T10:00:00.000Z"))
                .body("names[0].current", equalTo(true))
                .body("names[1].username", equalTo("zqh_beta"))
                .body("names[1].first_seen_at", equalTo("2025-03-10T10:00:00.000Z"))
                .body("names[1].last_seen_at", equalTo("2025-03-11T10:00:00.000Z"))
                .body("names[1].current", equalTo(false));
    }

    @Test
    void theCurrentNameLivesInUsersAndHistoryKeepsOnlyFormerNames() {
        long id = FROM + 31;
        sight(id, "zqh_first", "Fi", T1);
        sight(id, "zqh_first", "Fi", T2);
        await().atMost(Duration.ofSeconds(20)).until(() -> T2.equals(instant("SELECT snapshot_at FROM users WHERE user_id = " + id)));
        assertEquals(0L, scalar("SELECT count(*) FROM user_name_history WHERE user_id = " + id), "a new user writes no history row");
        assertEquals(T1, instant("SELECT name_since FROM users WHERE user_id = " + id));

        sight(id, "zqh_second", "Fi", T3);
        await().atMost(Duration.ofSeconds(20)).until(() -> T3.equals(instant("SELECT snapshot_at FROM users WHERE user_id = " + id)));
        assertEquals(T3, instant("SELECT name_since FROM users WHERE user_id = " + id));
        assertEquals(List.of("zqh_first " + T1 + " " + T2), historyRows(id), "the replaced name, with its span");

        // a late sighting of a third name, older than the current one: a former name, the current one stays
        sight(id, "zqh_between", "Fi", T2.plusSeconds(3600));
        await().atMost(Duration.ofSeconds(20)).until(() -> historyRows(id).size() == 2);
        assertEquals(List.of("zqh_first " + T1 + " " + T2, "zqh_between " + T2.plusSeconds(3600) + " " + T2.plusSeconds(3600)),
                historyRows(id));
        assertEquals("zqh_second", scalar("SELECT username FROM users WHERE user_id = " + id));
        api().get("/api/users/" + id + "/names").then().statusCode(200)
                .body("names.username", equalTo(List.of("zqh_first", "zqh_between", "zqh_second")))
                .body("names.current", equalTo(List.of(false, false, true)));
    }

    /** Migration V16's move of existing data: what an older build wrote (the current name also in the history). */
    @Test
    void movingCurrentNamesOutOfTheHistoryKeepsEveryNameAndIsSafeToRunAgain() {
        long moved = FROM + 41;
        long copied = FROM + 42;
        sql("INSERT INTO users (user_id, username, first_name, first_seen_at, last_seen_at, snapshot_at) VALUES ("
                        + moved + ", 'zqh_m_now', 'Mo', '" + T1 + "', '" + T5 + "', '" + T5 + "')",
                history(moved, "zqh_m_old", "Mo", "'" + T1 + "'"),
                "INSERT INTO user_name_history (user_id, username, first_name, first_seen_at, last_seen_at) VALUES ("
                        + moved + ", 'zqh_m_now', 'Mo', '" + T3 + "', '" + T5 + "')",
                // names copied from a bot's records (no Telegram snapshot) and the backfill's history row of them
                "INSERT INTO users (user_id, username, first_name, copied_names_at, first_seen_at, last_seen_at) VALUES ("
                        + copied + ", 'zqh_m_copy', 'Co', '" + T2 + "', '" + T2 + "', '" + T2 + "')",
                history(copied, "zqh_m_copy", "Co", "'" + T2 + "'"));

        for (int run = 1; run <= 2; run++) {
            callMoveCurrentNames();
            assertEquals(T3, instant("SELECT name_since FROM users WHERE user_id = " + moved), "run " + run);
            assertEquals(List.of("zqh_m_old " + T1 + " " + T1), historyRows(moved), "only the former name stays, run " + run);
            assertEquals(List.of("zqh_m_copy " + T2 + " " + T2), historyRows(copied), "a copied name is not moved, run " + run);
            assertEquals(null, scalar("SELECT name_since FROM users WHERE user_id = " + copied));
        }
        api().get("/api/users/" + moved + "/names").then().statusCode(200)
                .body("names.username", equalTo(List.of("zqh_m_old", "zqh_m_now")))
                .body("names.first_seen_at", equalTo(List.of("2025-03-01T10:00:00.000Z", "2025-03-10T10:00:00.000Z")))
                .body("names.last_seen_at", equalTo(List.of("2025-03-01T10:00:00.000Z", "2025-03-20T10:00:00.000Z")))
                .body("names.current", equalTo(List.of(false, true)));
    }

    @Test
    void namesOfAnUnknownUserAre404AndABadIdIs400() {
        api().get("/api/users/" + (FROM + 99) + "/names").then().statusCode(404).contentType("application/problem+json");
        api().get("/api/users/abc/names").then().statusCode(400).body("error", containsString("id"));
    }

    @Test
    void lookupAnswersWhoHadAUsernameAtATime() {
        long first = FROM + 11;
        long second = FROM + 12;
        renameStory(first, "zqh_gamma", "zqh_delta");
        // another user takes the freed username later
        sight(second, "zqh_delta", "Dee", T6);
        await().atMost(Duration.ofSeconds(20)).until(() -> T6.equals(instant("SELECT snapshot_at FROM users WHERE user_id = " + second)));

        List<String> everyone = holders(api().queryParam("username", "@ZQH_Delta").get("/api/users/lookup").then().statusCode(200));
        assertEquals(List.of(Long.toString(second), Long.toString(first)), everyone, "newest holder first");
        api().queryParam("username", "zqh_delta").get("/api/users/lookup").then()
                .body("find { it.user_id == '" + first + "' }.holds_it_now", equalTo(false))
                .body("find { it.user_id == '" + first + "' }.current_username", equalTo("zqh_gamma"))
                .body("find { it.user_id == '" + first + "' }.display_name", equalTo("@zqh_gamma"))
                .body("find { it.user_id == '" + second + "' }.holds_it_now", equalTo(true));

        assertEquals(List.of(), at("zqh_delta", "2025-03-05T00:00:00Z"), "before the rename nobody had it");
        assertEquals(List.of(Long.toString(first)), at("zqh_delta", "2025-03-10T12:00:00Z"), "after the rename");
        assertEquals(List.of(Long.toString(first)), at("zqh_delta", "2025-03-15T00:00:00Z"),
                "kept until the user is seen with another name");
        assertEquals(List.of(Long.toString(second)), at("zqh_delta", "2025-04-02T00:00:00Z"));
        assertEquals(List.of(Long.toString(first)), at("zqh_gamma", "2025-03-05T00:00:00Z"), "before the rename");
        assertEquals(List.of(), at("zqh_gamma", "2025-03-10T12:00:00Z"), "while renamed");
        assertEquals(List.of(Long.toString(first)), at("zqh_gamma", "2025-03-25T00:00:00Z"), "after the rename back");
    }

    @Test
    void lookupRefusesBadInput() {
        api().get("/api/users/lookup").then().statusCode(400).contentType("application/problem+json")
                .body("error", containsString("username"));
        api().queryParam("username", "x").queryParam("at", "yesterday").get("/api/users/lookup").then().statusCode(400)
                .body("error", containsString("at"));
    }

    @Test
    void searchFindsFormerNamesAfterEveryCurrentMatchAndSaysWhichNameMatched() {
        sql(user(FROM + 21, "zqhold_now", null, "now() - interval '3 days'"),      // current username prefix
                user(FROM + 22, "plain7120000022", "Zqholdie", "now()"),           // current first-name prefix, newest
                user(FROM + 23, "zqh_renamed", "Rena", "now() - interval '1 hour'"), // former username zqhold_handle
                user(FROM + 24, null, "Petr", "now() - interval '2 hours'"),        // former first name Zqholdina
                history(FROM + 23, "zqhold_handle", "Rena", "now() - interval '90 days'"),
                history(FROM + 23, "zqh_renamed", "Rena", "now() - interval '1 hour'"),
                history(FROM + 24, null, "Zqholdina", "now() - interval '80 days'"),
                history(FROM + 24, null, "Petr", "now() - interval '2 hours'"));

        List<Map<String, Object>> hits = mine(api().queryParam("q", "zqhold").get("/api/users/search").then().statusCode(200));
        assertEquals(List.of(id(21), id(22), id(23), id(24)), ids(hits), "current username prefix, current name prefix, then former names");
        assertEquals(List.of(false, false, true, true), hits.stream().map(hit -> hit.get("matched_former")).toList());
        assertEquals(List.of("zqhold_now", "Zqholdie", "zqhold_handle", "Zqholdina"), hits.stream().map(hit -> hit.get("matched_name")).toList());
        assertEquals(List.of("username", "name", "username", "name"), hits.stream().map(hit -> hit.get("matched_field")).toList());
        assertEquals("@zqh_renamed", hits.get(2).get("display_name"), "the hit shows who the user is now");

        List<Map<String, Object>> onlyFormer = mine(api().queryParam("q", "@zqhold_handle").get("/api/users/search").then().statusCode(200));
        assertEquals(List.of(id(23)), ids(onlyFormer));
        assertEquals(true, onlyFormer.get(0).get("matched_former"));

        List<Map<String, Object>> current = mine(api().queryParam("q", "zqh_renamed").get("/api/users/search").then().statusCode(200));
        assertEquals(List.of(id(23)), ids(current));
        assertEquals(false, current.get(0).get("matched_former"), "the current name is not a former one");
    }

    /** T1, T2 as (first, Al); T3, T4 renamed to (second, Al); T5 back to first. */
    private static void renameStory(long id, String first, String second) {
        sight(id, first, "Al", T1);
        sight(id, first, "Al", T2);
        sight(id, second, "Al", T3);
        sight(id, second, "Al", T4);
        sight(id, first, "Al", T5);
        await().atMost(Duration.ofSeconds(20)).until(() -> T5.equals(lastSeen(id, first)) && T4.equals(lastSeen(id, second)));
    }

    /** The last sighting of a username, former (history) or current (users' newest snapshot). */
    private static Instant lastSeen(long id, String username) {
        return instant("SELECT max(at) FROM (SELECT last_seen_at AS at FROM user_name_history WHERE user_id = " + id
                + " AND username = '" + username + "' UNION ALL SELECT snapshot_at FROM users WHERE user_id = " + id
                + " AND username = '" + username + "') names");
    }

    private static Instant instant(String query) {
        Object value = scalar(query);
        return value == null ? null : ((java.sql.Timestamp) value).toInstant();
    }

    /** "username first_seen last_seen" of each history row, oldest first. */
    private static List<String> historyRows(long id) {
        return strings("SELECT username || ' ' || to_char(first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                + " || ' ' || to_char(last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                + " FROM user_name_history WHERE user_id = " + id + " ORDER BY first_seen_at");
    }

    private static void sight(long id, String username, String firstName, Instant at) {
        UserSeen seen = UserSeen.of(new TelegramUser(id, false, username, firstName, null, "en", false), at, null, null);
        KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.USER_SEEN, seen.key(), RecordJson.write(seen));
    }

    /** The procedure commits per chunk: it runs outside a transaction block, as Flyway runs V16. */
    private static void callMoveCurrentNames() {
        try (var c = TestSupport.db(); var st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute("CALL registry.move_current_names()");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> strings(String query) {
        try (var c = TestSupport.db(); var st = c.createStatement(); var rs = st.executeQuery(query)) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> at(String username, String time) {
        return holders(api().queryParam("username", username).queryParam("at", time).get("/api/users/lookup").then().statusCode(200));
    }

    private static List<String> holders(ValidatableResponse response) {
        List<String> ids = response.extract().jsonPath().getList("user_id");
        return ids.stream().filter(id -> Long.parseLong(id) >= FROM && Long.parseLong(id) <= TO).collect(Collectors.toList());
    }

    private static List<Map<String, Object>> mine(ValidatableResponse response) {
        List<Map<String, Object>> items = response.extract().jsonPath().getList("$");
        return items.stream().filter(item -> {
            long id = Long.parseLong((String) item.get("user_id"));
            return id >= FROM && id <= TO;
        }).collect(Collectors.toList());
    }

    private static List<String> ids(List<Map<String, Object>> items) {
        return items.stream().map(item -> (String) item.get("user_id")).collect(Collectors.toList());
    }

    private static String id(long offset) {
        return Long.toString(FROM + offset);
    }

    private static String lit(String value) {
        return value == null ? "NULL" : "'" + value + "'";
    }

    private static String user(long id, String username, String firstName, String lastSeen) {
        return "INSERT INTO users (user_id, username, first_name, first_seen_at, last_seen_at, snapshot_at) VALUES ("
                + id + ", " + lit(username) + ", " + lit(firstName) + ", " + lastSeen + ", " + lastSeen + ", " + lastSeen + ")";
    }

    private static String history(long id, String username, String firstName, String firstSeen) {
        return "INSERT INTO user_name_history (user_id, username, first_name, first_seen_at, last_seen_at) VALUES ("
                + id + ", " + lit(username) + ", " + lit(firstName) + ", " + firstSeen + ", " + firstSeen + ")";
    }
}
