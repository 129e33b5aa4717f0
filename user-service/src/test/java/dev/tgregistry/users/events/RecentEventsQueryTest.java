package dev.tgregistry.users.events;

import dev.tgregistry.users.TestUserIds;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.sql;
import static dev.tgregistry.users.QueryFixtures.assertProblem;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.items;
import static dev.tgregistry.users.QueryFixtures.mine;
import static dev.tgregistry.users.QueryFixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/events?type=recent. User ids 7_500_000..7_599_999. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class RecentEventsQueryTest {
    static final long FROM = TestUserIds.RECENT_EVENTS_QUERY.from();
    static final long TO = TestUserIds.RECENT_EVENTS_QUERY.to();
    static final int USERS = 16;

    @BeforeEach
    void clean() {
        cleanRange(FROM, TO);
    }

    @AfterAll
    static void cleanUp() {
        cleanRange(FROM, TO);
    }

    /**
     * Users 7_500_001..7_500_016 (the last without a users row), three events each; event k of user i is
     * {@code offsetMillis + 3i + k} milliseconds old, so user 1's newest event is the newest of all and a
     * user's events are adjacent. details carries a stale username the API must not use.
     */
    private static void seed(int offsetMillis, String... before) {
        List<String> statements = new ArrayList<>(List.of(before));
        for (int i = 1; i <= USERS; i++) {
            long id = 7_500_000 + i;
            if (i < USERS) {
                statements.add(user(id, "zq_rc_" + i, "Rc" + i, "Last", "now()"));
            }
            for (int k = 0; k < 3; k++) {
                statements.add("INSERT INTO events (user_id, event_type, details, created_at) VALUES (" + id + ", 'view_program', "
                        + "'{\"button\": \"b" + i + "_" + k + "\", \"username\": \"stale\", \"n\": " + k + "}'::jsonb, "
                        + "now() - interval '" + (offsetMillis + 3 * i + k) + " milliseconds')");
            }
        }
        sql(statements.toArray(String[]::new));
    }

    private static List<Map<String, Object>> recent(String query) {
        return items(api().get("/api/events?type=recent" + query).then().statusCode(200).contentType("application/json"));
    }

    @SuppressWarnings("unchecked")
    private static String button(Map<String, Object> item) {
        return (String) ((Map<String, Object>) item.get("details")).get("button");
    }

    private static void assertAtMostTwoPerUserNewestFirst(List<Map<String, Object>> items) {
        Map<String, Integer> perUser = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String userId = (String) items.get(i).get("user_id");
            assertTrue(perUser.merge(userId, 1, Integer::sum) <= 2, "more than two events of user " + userId);
            if (i > 0) {
                String previous = (String) items.get(i - 1).get("created_at");
                String current = (String) items.get(i).get("created_at");
                assertTrue(previous.compareTo(current) >= 0, "newest first at " + i + ": " + previous + " then " + current);
            }
        }
    }

    @Test
    void defaultIsThirtyNewestWithAtMostTwoPerUser() {
        seed(0);
        List<Map<String, Object>> items = recent("");
        assertEquals(30, items.size());
        assertAtMostTwoPerUserNewestFirst(items);
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (int i = 1; i <= 15; i++) {
            expected.add("7500" + String.format("%03d", i) + " b" + i + "_0");
            expected.add("7500" + String.format("%03d", i) + " b" + i + "_1");
        }
        items.forEach(item -> actual.add(item.get("user_id") + " " + button(item)));
        assertEquals(expected, actual, "the two newest events of each user, newest first");
    }

    @Test
    void limitPicksTheNewestOverall() {
        seed(0);
        List<Map<String, Object>> five = recent("&limit=5");
        assertEquals(5, five.size());
        assertEquals(List.of("b1_0", "b1_1", "b2_0", "b2_1", "b3_0"), five.stream().map(RecentEventsQueryTest::button).toList());
        assertEquals(1, recent("&limit=1").size());

        List<Map<String, Object>> all = recent("&limit=200");
        assertTrue(all.size() <= 200);
        assertAtMostTwoPerUserNewestFirst(all);
        List<Map<String, Object>> mine = mine(all, FROM, TO);
        assertEquals(2 * USERS, mine.size());
        mine.forEach(item -> assertTrue(!button(item).endsWith("_2"), "the oldest of three events is dropped: " + button(item)));
    }

    @Test
    void namesComeFromUsersAndDetailsIsAnObject() {
        seed(0);
        List<Map<String, Object>> mine = mine(recent("&limit=200"), FROM, TO);
        Map<String, Object> first = mine.get(0);
        assertEquals(Set.of("id", "user_id", "username", "first_name", "display_name", "event_type", "created_at", "details"),
                first.keySet());
        assertEquals("7500001", first.get("user_id"));
        assertEquals("zq_rc_1", first.get("username"));
        assertEquals("Rc1", first.get("first_name"));
        assertEquals("@zq_rc_1", first.get("display_name"));
        assertEquals("view_program", first.get("event_type"));
        assertTrue(first.get("id") instanceof Number, "id is a JSON number");
        assertTrue(first.get("details") instanceof Map, "details is a JSON object");
        assertEquals(Map.of("button", "b1_0", "username", "stale", "n", 0), first.get("details"));
        assertTrue(((String) first.get("created_at")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"),
                "ISO-8601 UTC with milliseconds: " + first.get("created_at"));

        Map<String, Object> withoutUserRow = mine.stream().filter(item -> "7500016".equals(item.get("user_id"))).findFirst().orElseThrow();
        assertEquals(null, withoutUserRow.get("username"));
        assertEquals(null, withoutUserRow.get("first_name"));
        assertEquals("User 7500016", withoutUserRow.get("display_name"));
    }

    @Test
    void aChattyUserDoesNotCrowdOutTheOthers() {
        // 2,500 events of one user, all newer than everybody else's (one transaction: one now())
        seed(10, user(7_500_100, "zq_chatty", "Chatty", null, "now()"),
                "INSERT INTO events (user_id, event_type, details, created_at) SELECT 7500100, 'lesson_link_clicked', "
                        + "jsonb_build_object('n', g), now() - g * interval '1 microsecond' FROM generate_series(0, 2499) g");
        List<Map<String, Object>> items = recent("&limit=30");
        assertEquals(30, items.size());
        assertAtMostTwoPerUserNewestFirst(items);
        assertEquals("7500100", items.get(0).get("user_id"));
        assertEquals("7500100", items.get(1).get("user_id"));
        assertEquals("7500001", items.get(2).get("user_id"));
        assertEquals(30, mine(items, FROM, TO).size());
    }

    @Test
    void limitOutside1To200Is400() {
        for (String bad : new String[]{"0", "201", "-1", "abc", "1e2"}) {
            assertProblem(api().get("/api/events?type=recent&limit=" + bad).then(), 400, "limit must be between 1 and 200");
        }
        api().get("/api/events?type=recent&limit=200").then().statusCode(200);
    }
}
