package dev.tgregistry.users.leads;

import dev.tgregistry.users.TestUserIds;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.db;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static dev.tgregistry.users.QueryFixtures.assertProblem;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.event;
import static dev.tgregistry.users.QueryFixtures.idStrings;
import static dev.tgregistry.users.QueryFixtures.ids;
import static dev.tgregistry.users.QueryFixtures.items;
import static dev.tgregistry.users.QueryFixtures.mine;
import static dev.tgregistry.users.QueryFixtures.registration;
import static dev.tgregistry.users.QueryFixtures.user;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/user-activity (lead scoring). User ids 7_300_000..7_399_999. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class LeadScoringQueryTest {
    static final long FROM = TestUserIds.LEAD_SCORING_QUERY.from();
    static final long TO = TestUserIds.LEAD_SCORING_QUERY.to();

    @BeforeEach
    void clean() {
        cleanRange(FROM, TO);
    }

    /** Leaves no future-dated events of this class behind for other classes' "recent" views. */
    @AfterAll
    static void cleanUp() {
        cleanRange(FROM, TO);
    }

    /** A users row and a free-lesson registration: a member of the lead population. */
    private static void lead(long userId) {
        sql(leadSql(userId).toArray(String[]::new));
    }

    private static List<String> leadSql(long userId) {
        return List.of(user(userId, "zq_lead_" + userId, "Lead", null, "now()"),
                registration(userId, userId, "lead" + userId + "@zq.test", "2026-01-01", "now() - interval '10 days'"));
    }

    /**
     * {@code total} user events spread over {@code days} distinct UTC dates inside the last 7 days: event g lies
     * (g mod days) whole days plus one hour plus g milliseconds before now.
     */
    private static String activity(long userId, int total, int days) {
        return "INSERT INTO events (user_id, event_type, details, created_at) SELECT " + userId + ", 'view_program', '{}'::jsonb, "
                + "now() - interval '1 hour' - (g % " + days + ") * interval '1 day' - g * interval '1 millisecond' "
                + "FROM generate_series(0, " + (total - 1) + ") g";
    }

    private static List<Map<String, Object>> leads(String query) {
        return items(api().get("/api/user-activity?" + query).then().statusCode(200).contentType("application/json"));
    }

    private static Map<String, Map<String, Object>> byId(List<Map<String, Object>> items) {
        Map<String, Map<String, Object>> result = new HashMap<>();
        items.forEach(item -> result.put((String) item.get("user_id"), item));
        return result;
    }

    private static String apiTime(String eventCondition) {
        return (String) scalar("SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM events WHERE "
                + eventCondition);
    }

    private static void assertLead(Map<String, Object> item, int total, int days, String score) {
        assertEquals(total, ((Number) item.get("total_events")).intValue(), "total_events of " + item.get("user_id"));
        assertEquals(days, ((Number) item.get("active_days")).intValue(), "active_days of " + item.get("user_id"));
        assertEquals(score, item.get("lead_score"), "lead_score of " + item.get("user_id"));
    }

    private static void seedBoundaries() {
        // one transaction: every user's newest event is at the same instant (now() - 1 hour)
        int[][] cases = {{20, 5}, {20, 4}, {19, 5}, {10, 3}, {10, 2}, {5, 1}, {4, 4}, {9, 5}};
        List<String> statements = new ArrayList<>();
        for (int i = 0; i < cases.length; i++) {
            long id = 7_300_001 + i;
            statements.addAll(leadSql(id));
            statements.add(activity(id, cases[i][0], cases[i][1]));
        }
        statements.addAll(leadSql(7_300_009)); // no events at all
        sql(statements.toArray(String[]::new));
    }

    @Test
    void scoreThresholdsAreInclusive() {
        seedBoundaries();
        Map<String, Map<String, Object>> mine = byId(mine(leads("limit=1000"), FROM, TO));
        assertEquals(9, mine.size());
        assertLead(mine.get("7300001"), 20, 5, "hot");
        assertLead(mine.get("7300002"), 20, 4, "warm");
        assertLead(mine.get("7300003"), 19, 5, "warm");
        assertLead(mine.get("7300004"), 10, 3, "warm");
        assertLead(mine.get("7300005"), 10, 2, "cool");
        assertLead(mine.get("7300006"), 5, 1, "cool");
        assertLead(mine.get("7300007"), 4, 4, "cold");
        assertLead(mine.get("7300008"), 9, 5, "cool");
        assertLead(mine.get("7300009"), 0, 0, "cold");
        assertNull(mine.get("7300009").get("last_activity"));
        assertTrue(mine.get("7300009").containsKey("last_activity"), "last_activity is present, as null");
    }

    @Test
    void scoreFilterKeepsOnlyThatScore() {
        seedBoundaries();
        Map<String, List<String>> expected = Map.of(
                "hot", idStrings(7_300_001),
                "warm", idStrings(7_300_002, 7_300_003, 7_300_004),
                "cool", idStrings(7_300_005, 7_300_008, 7_300_006),
                "cold", idStrings(7_300_007, 7_300_009));
        expected.forEach((score, expectedIds) -> {
            List<Map<String, Object>> filtered = leads("limit=1000&score=" + score);
            filtered.forEach(item -> assertEquals(score, item.get("lead_score")));
            assertEquals(expectedIds, ids(mine(filtered, FROM, TO)), "score=" + score);
        });
        assertProblem(api().get("/api/user-activity?score=lukewarm").then(), 400, "score");
    }

    @Test
    void windowCountsEventsJustInsideAndNeitherJustOutsideNorInTheFuture() {
        lead(7_300_030);
        sql(event(7_300_030, "view_program", "{\"edge\":\"inside\"}", "now() - interval '3 days' + interval '1 minute'"),
                event(7_300_030, "view_program", "{\"edge\":\"outside\"}", "now() - interval '3 days' - interval '1 minute'"),
                event(7_300_030, "view_program", "{\"edge\":\"future\"}", "now() + interval '1 hour'"));
        Map<String, Object> three = byId(leads("days=3&limit=1000")).get("7300030");
        assertLead(three, 1, 1, "cold");
        assertEquals(apiTime("user_id = 7300030 AND details->>'edge' = 'inside'"), three.get("last_activity"));
        Map<String, Object> seven = byId(leads("days=7&limit=1000")).get("7300030");
        assertEquals(2, ((Number) seven.get("total_events")).intValue(), "the 'outside' event is inside a 7-day window");
        assertEquals(apiTime("user_id = 7300030 AND details->>'edge' = 'inside'"), seven.get("last_activity"),
                "an event in the future is never the last activity");
        Map<String, Object> one = byId(leads("days=1&limit=1000")).get("7300030");
        assertLead(one, 0, 0, "cold");
        assertNull(one.get("last_activity"));
    }

    @Test
    void systemEventsAreNotTheUsersActivity() {
        lead(7_300_020);
        List<String> statements = new ArrayList<>();
        statements.add(activity(7_300_020, 5, 1));
        for (String system : List.of("free_lesson_reminder_sent", "booking_status_changed", "payment_approved")) {
            for (int day = 1; day <= 4; day++) {
                statements.add(event(7_300_020, system, "{}", "now() - interval '1 minute' - interval '" + day + " days'"));
            }
            statements.add(event(7_300_020, system, "{}", "now() - interval '1 second'"));
        }
        sql(statements.toArray(String[]::new));
        Map<String, Object> item = byId(leads("limit=1000")).get("7300020");
        assertLead(item, 5, 1, "cool");
        assertEquals(apiTime("user_id = 7300020 AND event_type = 'view_program' ORDER BY created_at DESC LIMIT 1"),
                item.get("last_activity"));
    }

    @Test
    void twoRegistrationsAreOneRowWithTheNewestEmail() {
        sql(user(7_300_040, "zq_twice", "Twice", null, "now()"),
                // the newer registration has the lower id
                registration(7_300_042, 7_300_040, "old@zq.test", "2026-01-01", "now() - interval '20 days'"),
                registration(7_300_041, 7_300_040, "new@zq.test", "2026-02-01", "now() - interval '1 day'"),
                activity(7_300_040, 3, 2));
        List<Map<String, Object>> rows = mine(leads("limit=1000"), 7_300_040, 7_300_040);
        assertEquals(1, rows.size(), "one row per user");
        assertEquals("new@zq.test", rows.get(0).get("email"));
        assertLead(rows.get(0), 3, 2, "cold");
        assertEquals("zq_twice", rows.get(0).get("username"));
    }

    @Test
    void itemsCarryTheContractFieldsWithNamesFromUsers() {
        sql(user(7_300_060, "zq_fresh_name", "Freshfirst", "Last", "now()"),
                "INSERT INTO free_lesson_registrations (id, user_id, username, first_name, email, lesson_date, registered_at) "
                        + "VALUES (7300060, 7300060, 'zq_stale', 'Stale', 'fields@zq.test', '2026-03-01', now())",
                activity(7_300_060, 2, 2),
                // a registered user without a users row and without events
                registration(7_300_061, 7_300_061, "nouser@zq.test", "2026-03-01", "now()"));
        Map<String, Map<String, Object>> mine = byId(mine(leads("limit=1000"), FROM, TO));
        Set<String> contract = Set.of("user_id", "username", "first_name", "display_name", "email", "total_events",
                "active_days", "last_activity", "lead_score", "is_active", "reachable_by_dm");
        for (Map<String, Object> item : mine.values()) {
            assertEquals(contract, item.keySet());
            assertTrue(item.get("user_id") instanceof String, "user_id is a JSON string");
            assertTrue(item.get("total_events") instanceof Number, "total_events is a JSON number");
            assertTrue(item.get("active_days") instanceof Number, "active_days is a JSON number");
        }
        Map<String, Object> item = mine.get("7300060");
        assertEquals("zq_fresh_name", item.get("username"));
        assertEquals("Freshfirst", item.get("first_name"));
        assertEquals("@zq_fresh_name", item.get("display_name"));
        assertEquals("fields@zq.test", item.get("email"));
        assertTrue(((String) item.get("last_activity")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"),
                "ISO-8601 UTC with milliseconds: " + item.get("last_activity"));
        assertEquals("User 7300061", mine.get("7300061").get("display_name"));
    }

    @Test
    void orderedByTotalThenLastActivityThenUserId() {
        seedBoundaries();
        for (long id : new long[]{7_300_050, 7_300_051, 7_300_052}) {
            lead(id);
        }
        sql(// identical activity: the lower user id first
                "INSERT INTO events (user_id, event_type, created_at) SELECT u, 'view_program', now() - interval '2 hours' - g * interval '1 second' "
                        + "FROM generate_series(0, 2) g CROSS JOIN (VALUES (7300051), (7300050)) v(u)",
                // same total, newer last activity: first
                "INSERT INTO events (user_id, event_type, created_at) SELECT 7300052, 'view_program', now() - interval '1 hour' - g * interval '1 second' "
                        + "FROM generate_series(0, 2) g");
        List<Map<String, Object>> all = leads("limit=1000");
        assertTrue(all.size() < 1000, "the whole population fits in one page");
        for (int i = 1; i < all.size(); i++) {
            Map<String, Object> a = all.get(i - 1);
            Map<String, Object> b = all.get(i);
            long totalA = ((Number) a.get("total_events")).longValue();
            long totalB = ((Number) b.get("total_events")).longValue();
            assertTrue(totalA >= totalB, "total_events desc at " + i);
            if (totalA == totalB) {
                String lastA = (String) a.get("last_activity");
                String lastB = (String) b.get("last_activity");
                if (lastA == null) {
                    assertNull(lastB, "null last_activity last at " + i);
                }
                if (lastA != null && lastB != null) {
                    assertTrue(lastA.compareTo(lastB) >= 0, "last_activity desc at " + i);
                }
                if (lastA != null && lastA.equals(lastB) || lastA == null && lastB == null) {
                    assertTrue(Long.parseLong((String) a.get("user_id")) < Long.parseLong((String) b.get("user_id")),
                            "user id asc at " + i);
                }
            }
        }
        assertEquals(idStrings(7_300_001, 7_300_002, 7_300_003, 7_300_004, 7_300_005, 7_300_008, 7_300_006, 7_300_007,
                7_300_052, 7_300_050, 7_300_051, 7_300_009), ids(mine(all, FROM, TO)));
    }

    @Test
    void limitDefaultsTo100AndAllowsUpTo1000() {
        sql("INSERT INTO free_lesson_registrations (id, user_id, email, lesson_date, registered_at) "
                + "SELECT 7300100 + g, 7300100 + g, 'bulk' || g || '@zq.test', '2026-01-01', now() FROM generate_series(0, 119) g");
        api().get("/api/user-activity").then().statusCode(200).body("$", hasSize(100));
        api().get("/api/user-activity?limit=1").then().statusCode(200).body("$", hasSize(1));
        assertEquals(120, mine(leads("limit=1000"), FROM, TO).size());
        for (String bad : new String[]{"0", "1001", "-1", "abc"}) {
            assertProblem(api().get("/api/user-activity?limit=" + bad).then(), 400, "limit must be between 1 and 1000");
        }
    }

    @Test
    void daysMustBeBetween1And90() {
        for (String bad : new String[]{"0", "91", "abc", "-3", "7.5"}) {
            assertProblem(api().get("/api/user-activity?days=" + bad).then(), 400, "days must be between 1 and 90");
        }
        api().get("/api/user-activity?days=1").then().statusCode(200);
        api().get("/api/user-activity?days=90").then().statusCode(200);
    }

    @Test
    void eventsFromBeforeTheRegistrationCountOnceTheUserRegisters() {
        long id = 7_300_060;
        sql(user(id, "zq_late", "Late", null, "now()"), activity(id, 6, 2),
                event(id, "payment_approved", "{}", "now() - interval '2 hours'"));
        assertTrue(mine(leads("limit=1000"), FROM, TO).isEmpty(), "not a lead before registering");

        sql(registration(id, id, "late@zq.test", "2026-01-01", "now()"));
        assertLead(byId(mine(leads("limit=1000"), FROM, TO)).get(String.valueOf(id)), 6, 2, "cool");
    }

    @Test
    void aRegistrationMovedToAnotherUserTakesTheLeadWithIt() {
        long first = 7_300_061;
        long second = 7_300_062;
        sql(user(first, "zq_first", "First", null, "now()"), user(second, "zq_second", "Second", null, "now()"),
                activity(first, 3, 1), activity(second, 5, 2), registration(first, first, "moved@zq.test", "2026-01-01", "now()"));
        sql("UPDATE free_lesson_registrations SET user_id = " + second + " WHERE id = " + first);

        Map<String, Map<String, Object>> mine = byId(mine(leads("limit=1000"), FROM, TO));
        assertEquals(Set.of(String.valueOf(second)), mine.keySet());
        assertLead(mine.get(String.valueOf(second)), 5, 2, "cool");
    }

    /**
     * An event written while the user's first registration is being written in another transaction: neither
     * sees the other's row, yet the event must count. Here the event's transaction is open when the registration
     * arrives; the registration waits for it and then marks the event.
     */
    @Test
    void anEventAndTheFirstRegistrationWrittenConcurrentlyStillCount() throws Exception {
        long id = 7_300_063;
        sql(user(id, "zq_race", "Race", null, "now()"));
        try (Connection eventTx = db(); Connection registrationTx = db()) {
            eventTx.setAutoCommit(false);
            try (Statement st = eventTx.createStatement()) {
                st.execute(event(id, "view_program", "{}", "now() - interval '1 hour'"));
            }
            CompletableFuture<Void> registering = CompletableFuture.runAsync(() -> {
                try (Statement st = registrationTx.createStatement()) {
                    st.execute(registration(id, id, "race@zq.test", "2026-01-01", "now()"));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertFalse(registering.isDone(), "the registration waits for the open event transaction");
            eventTx.commit();
            registering.get(10, TimeUnit.SECONDS);
        }
        assertLead(byId(mine(leads("limit=1000"), FROM, TO)).get(String.valueOf(id)), 1, 1, "cold");
    }
}
