package dev.tgregistry.users.user;

import dev.tgregistry.users.TestUserIds;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.sql;
import static dev.tgregistry.users.QueryFixtures.assertProblem;
import static dev.tgregistry.users.QueryFixtures.booking;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.idStrings;
import static dev.tgregistry.users.QueryFixtures.ids;
import static dev.tgregistry.users.QueryFixtures.mine;
import static dev.tgregistry.users.QueryFixtures.registration;
import static dev.tgregistry.users.QueryFixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/users (keyset pagination) and GET /api/users/{id}. User ids 7_600_000..7_699_999. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class UserListAndDetailQueryTest {
    static final long FROM = TestUserIds.USER_LIST_AND_DETAIL_QUERY.from();
    static final long TO = TestUserIds.USER_LIST_AND_DETAIL_QUERY.to();
    static final Set<String> USER_OBJECT = Set.of("user_id", "username", "first_name", "last_name", "language_code",
            "display_name", "is_active", "is_premium", "first_seen_at", "last_seen_at", "reachable_by_dm", "unreachable_reason",
            "unreachable_at");

    @BeforeEach
    void clean() {
        cleanRange(FROM, TO);
    }

    private record Page(List<Map<String, Object>> users, String nextCursor) {
    }

    private static Page page(int limit, String cursor) {
        var request = api().queryParam("limit", limit);
        if (cursor != null) {
            request = request.queryParam("cursor", cursor);
        }
        JsonPath json = request.get("/api/users").then().statusCode(200).contentType("application/json").extract().jsonPath();
        assertEquals(Set.of("users", "next_cursor"), json.getMap("$").keySet());
        return new Page(json.getList("users"), json.getString("next_cursor"));
    }

    /** last_seen_at values far in the past, with ties and microsecond differences, so page boundaries cut through ties. */
    private static void seedPagination() {
        String tieNewer = "'1990-01-01 00:00:00.123457+00'";
        String tieOlder = "'1990-01-01 00:00:00.123456+00'";
        sql(user(7_600_011, "zq_p11", null, null, tieNewer), user(7_600_013, "zq_p13", null, null, tieNewer),
                user(7_600_012, "zq_p12", null, null, tieNewer), user(7_600_014, "zq_p14", null, null, tieNewer),
                user(7_600_003, "zq_p3", null, null, tieOlder), user(7_600_001, "zq_p1", null, null, tieOlder),
                user(7_600_004, "zq_p4", null, null, tieOlder), user(7_600_002, "zq_p2", null, null, tieOlder),
                user(7_600_020, "zq_p20", null, null, "'1990-01-01 00:00:00.123+00'"),
                user(7_600_021, "zq_p21", null, null, "'1989-12-31 23:59:59.999999+00'"),
                user(7_600_022, "zq_p22", null, null, "'1990-01-02 00:00:00+00'"));
    }

    static final List<String> EXPECTED_ORDER = idStrings(7_600_022, 7_600_014, 7_600_013, 7_600_012, 7_600_011,
            7_600_004, 7_600_003, 7_600_002, 7_600_001, 7_600_020, 7_600_021);

    /** Every user, walking pages of {@code limit}; asserts no id is served twice. */
    private static List<Map<String, Object>> walk(int limit) {
        List<Map<String, Object>> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cursor = null;
        for (int pages = 0; pages < 10_000; pages++) {
            Page page = page(limit, cursor);
            assertTrue(page.users().size() <= limit);
            for (Map<String, Object> user : page.users()) {
                assertTrue(seen.add((String) user.get("user_id")), "user " + user.get("user_id") + " served twice");
            }
            all.addAll(page.users());
            if (page.nextCursor() == null) {
                return all;
            }
            assertEquals(limit, page.users().size(), "only the last page may be short");
            cursor = page.nextCursor();
        }
        throw new AssertionError("pagination never ended");
    }

    @Test
    void pagesAreNewestFirstWithoutDuplicatesOrGaps() {
        seedPagination();
        List<Map<String, Object>> all = walk(1000);
        assertEquals(EXPECTED_ORDER, ids(mine(all, FROM, TO)));
        for (int i = 1; i < all.size(); i++) {
            String previous = (String) all.get(i - 1).get("last_seen_at");
            String current = (String) all.get(i).get("last_seen_at");
            assertTrue(previous.compareTo(current) >= 0, "last_seen_at desc at " + i);
        }
        for (String key : USER_OBJECT) {
            assertTrue(all.get(0).containsKey(key), key);
        }
        assertEquals(USER_OBJECT, mine(all, FROM, TO).get(0).keySet());
        assertEquals("1990-01-02T00:00:00.000Z", mine(all, FROM, TO).get(0).get("last_seen_at"));
    }

    @Test
    void smallPagesCutThroughTiesWithoutLosingOrRepeatingAnyone() {
        seedPagination();
        List<String> everyone = ids(walk(1000));
        int firstOfMine = everyone.indexOf("7600022");
        // reach the page just before this class' users with big pages, then continue three at a time
        String cursor = null;
        int consumed = 0;
        while (consumed < firstOfMine) {
            Page page = page(Math.min(1000, firstOfMine - consumed), cursor);
            consumed += page.users().size();
            cursor = page.nextCursor();
            assertNotNull(cursor);
        }
        List<String> rest = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        do {
            Page page = page(3, cursor);
            for (Map<String, Object> user : page.users()) {
                assertTrue(seen.add((String) user.get("user_id")), "user " + user.get("user_id") + " served twice");
                rest.add((String) user.get("user_id"));
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        assertEquals(everyone.subList(firstOfMine, everyone.size()), rest);
        assertEquals(EXPECTED_ORDER, rest.stream().filter(EXPECTED_ORDER::contains).toList());
    }

    @Test
    void badCursorOrLimitIs400() {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        for (String bad : new String[]{"not a cursor!!", "%%%", base64.encodeToString("hello".getBytes(StandardCharsets.UTF_8)),
                base64.encodeToString("2020-01-01T00:00:00Z|abc".getBytes(StandardCharsets.UTF_8)),
                base64.encodeToString("yesterday|42".getBytes(StandardCharsets.UTF_8))}) {
            assertProblem(api().queryParam("cursor", bad).get("/api/users").then(), 400, "cursor");
        }
        for (String bad : new String[]{"0", "1001", "-1", "abc"}) {
            assertProblem(api().queryParam("limit", bad).get("/api/users").then(), 400, "limit must be between 1 and 1000");
        }
    }

    @Test
    void detailHasTheUserBookingsLatestFiftyEventsAndFreeLessons() {
        sql("INSERT INTO users (user_id, username, first_name, last_name, language_code, is_premium, first_seen_at, last_seen_at) "
                        + "VALUES (7600100, 'zq_detail', 'Detail', 'Person', 'ru', true, '2025-06-01T10:00:00Z', '2026-01-05T10:00:00.25Z')",
                "INSERT INTO events (user_id, event_type, details, created_at) SELECT 7600100, 'view_program', "
                        + "jsonb_build_object('n', g), timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute' "
                        + "FROM generate_series(1, 60) g",
                // someone else's event, newer than all of them
                "INSERT INTO events (user_id, event_type, details, created_at) VALUES (7600101, 'view_program', '{}', '2026-02-01T00:00:00Z')",
                booking(7_600_101, 7_600_100, "5th_stream", 2, "zq_detail", "Detail", "'2025-12-01T00:00:00Z'"),
                booking(7_600_102, 7_600_100, "6th_stream", -1, "zq_detail", "Detail", "'2025-12-15T00:00:00Z'"),
                registration(7_600_100, 7_600_100, "detail@zq.test", "2026-03-15", "'2025-11-01T08:30:00Z'"));

        JsonPath detail = api().get("/api/users/7600100").then().statusCode(200).contentType("application/json")
                .extract().jsonPath();
        // success and freeLessons: what the original dashboard reads (docs/ORIGINAL-DASHBOARD.md §2)
        assertEquals(Set.of("user", "profile", "bookings", "events", "free_lessons", "success", "freeLessons"),
                detail.getMap("$").keySet());
        Map<String, Object> user = detail.getMap("user");
        Set<String> withTotals = new java.util.HashSet<>(USER_OBJECT);
        withTotals.addAll(Set.of("last_activity", "total_bookings", "total_events", "total_free_lessons", "latest_stream",
                "latest_payment_status"));
        assertEquals(withTotals, user.keySet());
        assertEquals("7600100", user.get("user_id"));
        assertEquals("zq_detail", user.get("username"));
        assertEquals("Person", user.get("last_name"));
        assertEquals("ru", user.get("language_code"));
        assertEquals("@zq_detail", user.get("display_name"));
        assertEquals(true, user.get("is_active"));
        assertEquals(true, user.get("is_premium"));
        assertEquals("2025-06-01T10:00:00.000Z", user.get("first_seen_at"));
        assertEquals("2026-01-05T10:00:00.250Z", user.get("last_seen_at"));
        assertEquals(60, user.get("total_events"), "all of the user's events, not the 50 served");
        assertEquals(2, user.get("total_bookings"));
        assertEquals(1, user.get("total_free_lessons"));
        assertEquals("6th_stream", user.get("latest_stream"), "the newest booking's stream, cancelled or not");
        assertEquals(-1, user.get("latest_payment_status"));
        assertNull(detail.get("profile"));

        List<Map<String, Object>> events = detail.getList("events");
        assertEquals(50, events.size(), "the latest 50 events");
        for (int i = 0; i < 50; i++) {
            Map<String, Object> event = events.get(i);
            assertEquals("7600100", event.get("user_id"));
            assertTrue(event.get("details") instanceof Map, "details is a JSON object");
            assertEquals(60 - i, ((Map<?, ?>) event.get("details")).get("n"), "newest first");
        }
        assertEquals("view_program", events.get(0).get("event_type"));
        assertEquals("2026-01-01T01:00:00.000Z", events.get(0).get("created_at"));
        assertEquals("2026-01-01T00:11:00.000Z", events.get(49).get("created_at"));
        assertEquals(Set.of("id", "user_id", "event_type", "details", "created_at"), events.get(0).keySet());

        List<Map<String, Object>> bookings = detail.getList("bookings");
        assertEquals(2, bookings.size());
        Map<String, Map<String, Object>> byStream = new java.util.HashMap<>();
        bookings.forEach(b -> byStream.put((String) b.get("course_stream"), b));
        assertEquals(2, byStream.get("5th_stream").get("confirmed"));
        assertEquals(-1, byStream.get("6th_stream").get("confirmed"));
        assertEquals("2025-12-01T00:00:00.000Z", byStream.get("5th_stream").get("created_at"));
        assertEquals("6th_stream", bookings.get(0).get("course_stream"), "newest first");
        assertEquals("7600100", bookings.get(0).get("user_id"));
        assertEquals(7_600_102, ((Number) bookings.get(0).get("id")).intValue());

        List<Map<String, Object>> lessons = detail.getList("free_lessons");
        assertEquals(1, lessons.size());
        assertEquals("detail@zq.test", lessons.get(0).get("email"));
        assertEquals("2026-03-15", lessons.get(0).get("lesson_date"));
        assertEquals("cursor_lesson", lessons.get(0).get("lesson_type"));
        assertEquals("2025-11-01T08:30:00.000Z", lessons.get(0).get("registered_at"));
        assertEquals("7600100", lessons.get(0).get("user_id"));
        assertEquals(detail.getList("free_lessons"), detail.getList("freeLessons"));
    }

    @Test
    void detailOfAUserWithNothingElseHasEmptyListsAndUnknownIs404() {
        sql(user(7_600_200, null, null, null, "now()"));
        api().get("/api/users/7600200").then().statusCode(200)
                .body("user.display_name", org.hamcrest.Matchers.equalTo("User 7600200"))
                .body("bookings", org.hamcrest.Matchers.hasSize(0))
                .body("events", org.hamcrest.Matchers.hasSize(0))
                .body("free_lessons", org.hamcrest.Matchers.hasSize(0));
        assertProblem(api().get("/api/users/7600999").then(), 404, "7600999");
        assertProblem(api().get("/api/users/abc").then(), 400, "id");
        assertProblem(api().get("/api/users/0").then(), 400, "id");
    }

    @Test
    void nullUsernameIsNullNotTheStringNull() {
        sql(user(7_600_300, null, "Only", null, "now()"));
        JsonPath detail = api().get("/api/users/7600300").then().statusCode(200).extract().jsonPath();
        assertNull(detail.get("user.username"));
        assertEquals("Only", detail.get("user.display_name"));
    }
}
