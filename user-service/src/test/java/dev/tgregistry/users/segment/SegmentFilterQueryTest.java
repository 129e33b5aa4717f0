package dev.tgregistry.users.segment;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.users.TestUserIds;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.tgregistry.users.QueryFixtures.assertProblem;
import static dev.tgregistry.users.QueryFixtures.booking;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.event;
import static dev.tgregistry.users.QueryFixtures.lit;
import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static dev.tgregistry.users.segment.SummaryFolds.foldEverything;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /api/users with filters and GET /api/users/count against a hand-built fixture of five users, each filter
 * alone and combined, nulls and missing profiles/attributes included. The fixture's users are all first seen in
 * 1991, so every request adds that window and sees no other test's users.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class SegmentFilterQueryTest {
    static final long FROM = TestUserIds.SEGMENTS.from();
    static final long A = FROM + 1;
    static final long B = FROM + 2;
    static final long C = FROM + 3;
    static final long D = FROM + 4;
    static final long E = FROM + 5;
    static final long STREAM_BOOKINGS = FROM;

    @Inject
    EventSummaryJob job;

    @BeforeEach
    void seed() {
        cleanRange(FROM, FROM + 999);
        sql(user(A, "segalpha", "fa", true, true, Boolean.TRUE, "'1991-03-01T00:00:00Z'"),
                user(B, "segbravo", "fa", false, true, Boolean.FALSE, "'1991-03-02T00:00:00Z'"),
                user(C, "segcharlie", "ru", true, false, null, "'1991-03-03T00:00:00Z'"),
                user(D, "segdelta", null, true, true, null, "'1991-03-04T00:00:00Z'"),
                user(E, "segecho", "en", true, true, Boolean.FALSE, "'1991-03-05T00:00:00Z'"),
                profile(A, true, "math", "10-12", 11, "+989121234567", "{\"utm\": {\"source\": \"ads\"}, \"level\": 3, \"vip\": true, \"tags\": [\"x\"], \"q\\\"k\": \"v\"}"),
                profile(B, false, "math", null, 11, null, "{\"utm\": {\"source\": null}}"),
                profile(D, true, "physics", "10-12", 10, null, "{\"level\": \"3\", \"vip\": \"true\", \"tags\": {\"0\": \"x\"}}"),
                event(A, "program_link_click", null, "now() - interval '1 day'"),
                event(A, "program_link_click", null, "now() - interval '2 days'"),
                event(A, "program_link_click", null, "now() - interval '3 days'"),
                event(B, "program_link_click", null, "now() - interval '400 days'"),
                event(D, "program_link_click", null, "now() - interval '5 days'"),
                booking(STREAM_BOOKINGS + 1, C, "5th_stream", 2, null, null, "now()"),
                booking(STREAM_BOOKINGS + 2, D, "5th_stream", -1, null, null, "now()"),
                booking(STREAM_BOOKINGS + 3, E, "6th_stream", 0, null, null, "now()"));
    }

    static String user(long id, String username, String language, boolean active, boolean privateChat, Boolean premium, String seen) {
        return "INSERT INTO users (user_id, username, language_code, is_active, is_premium, first_seen_at, last_seen_at, private_chat_since) "
                + "VALUES (" + id + ", " + lit(username) + ", " + lit(language) + ", " + active + ", " + premium + ", " + seen + ", "
                + seen + ", " + (privateChat ? seen : "NULL") + ")";
    }

    static String profile(long id, Boolean onboarded, String track, String band, Integer year, String phone, String attributes) {
        return "INSERT INTO user_profiles (user_id, onboarding_completed, study_track, grade_band, grade_year, phone, attributes) VALUES ("
                + id + ", " + onboarded + ", " + lit(track) + ", " + lit(band) + ", " + year + ", " + lit(phone) + ", " + lit(attributes) + "::jsonb)";
    }

    /** A request limited to the fixture's users. */
    static RequestSpecification fixture() {
        return api().queryParam("first_seen_from", "1991-01-01T00:00:00Z").queryParam("first_seen_to", "1992-01-01T00:00:00Z");
    }

    static Set<Long> selected(Map<String, ?> filter) {
        List<String> ids = filtered(filter).queryParam("limit", 1000).get("/api/users").then().statusCode(200)
                .extract().jsonPath().getList("users.user_id");
        long count = filtered(filter).get("/api/users/count").then().statusCode(200).extract().jsonPath().getLong("count");
        assertEquals(ids.size(), count, "count agrees with the list for " + filter);
        Set<Long> result = new TreeSet<>();
        ids.forEach(id -> result.add(Long.parseLong(id)));
        return result;
    }

    /** The fixture's window (unless the filter sets that member itself) and the filter, a list as repeated parameters. */
    static RequestSpecification filtered(Map<String, ?> filter) {
        RequestSpecification request = api();
        Map<String, Object> all = new HashMap<>(Map.of("first_seen_from", "1991-01-01T00:00:00Z", "first_seen_to", "1992-01-01T00:00:00Z"));
        all.putAll(filter);
        all.forEach((name, value) -> {
            if (value instanceof List<?> values) {
                values.forEach(v -> request.queryParam(name, v));
            } else {
                request.queryParam(name, value);
            }
        });
        return request;
    }

    static void assertSelects(Map<String, ?> filter, long... expected) {
        Set<Long> wanted = new TreeSet<>();
        for (long id : expected) {
            wanted.add(id);
        }
        assertEquals(wanted, selected(filter), "users selected by " + filter);
    }

    @Test
    void eachUserFilterAlone() {
        assertSelects(Map.of(), A, B, C, D, E);
        assertSelects(Map.of("active", "true"), A, C, D, E);
        assertSelects(Map.of("active", "false"), B);
        assertSelects(Map.of("reachable_by_dm", "true"), A, D, E);
        assertSelects(Map.of("reachable_by_dm", "false"), B, C);
        assertSelects(Map.of("is_premium", "true"), A);
        assertSelects(Map.of("is_premium", "false"), B, C, D, E);
        assertSelects(Map.of("language", "fa"), A, B);
        assertSelects(Map.of("language", List.of("ru", "en")), C, E);
        assertSelects(Map.of("first_seen_from", "1991-03-03T00:00:00Z"), C, D, E);
        assertSelects(Map.of("last_seen_to", "1991-03-03T00:00:00Z"), A, B);
        assertSelects(Map.of("last_seen_from", "1991-03-02T00:00:00Z", "last_seen_to", "1991-03-04T00:00:00Z"), B, C);
        assertSelects(Map.of("last_seen_within", "PT24H"));
        assertSelects(Map.of("search", "SEGDEL"), D);
        assertSelects(Map.of("search", "gd"), D);
        assertSelects(Map.of("search", "seg%"));
        sql("UPDATE users SET first_name = 'Алёна' WHERE user_id = " + E);
        assertSelects(Map.of("search", "АЛЕНА"), E);
        sql("UPDATE users SET last_name = '50%off' WHERE user_id = " + C);
        assertSelects(Map.of("search", "0%OF"), C);
    }

    @Test
    void profileFiltersTreatAMissingProfileAsUnset() {
        assertSelects(Map.of("onboarding_completed", "true"), A, D);
        assertSelects(Map.of("onboarding_completed", "false"), B, C, E);
        assertSelects(Map.of("study_track", "math"), A, B);
        assertSelects(Map.of("study_track", List.of("math", "physics")), A, B, D);
        assertSelects(Map.of("grade_year", List.of("10", "11")), A, B, D);
        assertSelects(Map.of("grade_band", "10-12"), A, D);
        assertSelects(Map.of("has", "phone"), A);
        assertSelects(Map.of("lacks", "phone"), B, C, D, E);
        assertSelects(Map.of("has", List.of("grade_band", "study_track")), A, D);
        assertSelects(Map.of("attribute", "utm.source=ads"), A);
        assertSelects(Map.of("attribute", "level=3"), A, D);
        assertSelects(Map.of("attribute", "utm.source"), A);
        assertSelects(Map.of("attribute", "!utm.source"), B, C, D, E);
        assertSelects(Map.of("attribute", "utm"), A, B);
    }

    /**
     * An attribute value matches as text whatever its JSON type (the index condition tries the string and the number
     * or boolean the text spells); a path through an array position, an object value and a key needing quotes in a
     * JSON path are matched exactly too.
     */
    @Test
    void attributeTestsMatchTheTextOfAnyJsonValue() {
        assertSelects(Map.of("attribute", "vip=true"), A, D);
        assertSelects(Map.of("attribute", "level=3.0"));
        assertSelects(Map.of("attribute", "tags.0=x"), A, D);
        assertSelects(Map.of("attribute", "tags.0"), A, D);
        assertSelects(Map.of("attribute", "tags=[\"x\"]"), A);
        assertSelects(Map.of("attribute", "utm={\"source\": \"ads\"}"), A);
        assertSelects(Map.of("attribute", "q\"k=v"), A);
        assertSelects(Map.of("attribute", "q\"k"), A);
        assertSelects(Map.of("attribute", "!q\"k"), B, C, D, E);
        assertSelects(Map.of("attribute", "utm.source=ADS"));
    }

    /** Attribute tests read the flattened attributes (V23), which follow a profile's PATCH and its user's erasure. */
    @Test
    void attributeTestsFollowProfileWritesAndErasure() {
        api().contentType("application/merge-patch+json").body("{\"attributes\": {\"utm\": {\"source\": \"partner\"}, \"level\": null}}")
                .patch("/api/users/" + A + "/profile").then().statusCode(200);
        assertSelects(Map.of("attribute", "utm.source=partner"), A);
        assertSelects(Map.of("attribute", "utm.source=ads"));
        assertSelects(Map.of("attribute", "level"), D);

        long erased = FROM + 6;
        sql("DELETE FROM erased_users WHERE user_id = " + erased,
                user(erased, "segfoxtrot", "fa", true, true, null, "'1991-03-06T00:00:00Z'"),
                profile(erased, true, "math", null, null, null, "{\"utm\": {\"source\": \"partner\"}}"));
        assertSelects(Map.of("attribute", "utm.source=partner"), A, erased);
        api().delete("/api/users/" + erased).then().statusCode(200);
        assertSelects(Map.of("attribute", "utm.source=partner"), A);
        assertEquals(0L, ((Number) scalar("SELECT count(*) FROM profile_attribute_values WHERE user_id = " + erased)).longValue());
    }

    @Test
    void bookingsAndEvents() {
        assertSelects(Map.of("stream", "5th_stream"), C, D);
        assertSelects(Map.of("stream", "5th_stream", "booking_status", "2"), C);
        assertSelects(Map.of("booking_status", List.of("0", "-1")), D, E);
        assertSelects(Map.of("booked", "false"), A, B);
        assertSelects(Map.of("booked", "true"), C, D, E);
        assertSelects(Map.of("did", "program_link_click"), A, B, D);
        assertSelects(Map.of("did", "program_link_click:3"), A);
        assertSelects(Map.of("did", "program_link_click:1:30"), A, D);
        assertSelects(Map.of("did_not", "program_link_click:1:30"), B, C, E);
        assertSelects(Map.of("did_not", "program_link_click:2"), B, C, D, E);
        assertSelects(Map.of("did", "program_link_click", "booked", "false"), A, B);
    }

    @Test
    void eventFiltersReadTheFoldedSummaryAndTheEventsAboveIt() throws InterruptedException {
        foldEverything(job);
        bookingsAndEvents();
        sql(event(B, "program_link_click", null, "now() - interval '2 days'"),
                event(C, "program_link_click", null, "now() - interval '1 day'"));
        assertSelects(Map.of("did", "program_link_click:2"), A, B);
        assertSelects(Map.of("did", "program_link_click:1:30"), A, B, C, D);
        assertSelects(Map.of("did_not", "program_link_click"), E);
        assertSelects(Map.of("did", "program_link_click:2:30"), A);
        foldEverything(job);
        assertSelects(Map.of("did", "program_link_click:2"), A, B);
        assertSelects(Map.of("did_not", "program_link_click:1:30"), E);
    }

    @Test
    void eventMembersJoinedWithOthersReadTheSummaryAndTheEventsAboveIt() throws InterruptedException {
        foldEverything(job);
        assertSelects(Map.of("did", "program_link_click", "language", "fa"), A, B);
        assertSelects(Map.of("did", "program_link_click:1:30", "active", "true"), A, D);
        assertSelects(Map.of("did_not", "program_link_click", "active", "true"), C, E);
        assertSelects(Map.of("did", "program_link_click", "did_not", "program_link_click:2"), B, D);
        sql(event(B, "program_link_click", null, "now() - interval '2 days'"),
                event(C, "program_link_click", null, "now() - interval '1 day'"),
                event(E, "view_price", null, "now() - interval '1 day'"));
        // B: one folded event and one above the watermark; C and E: only events above it
        assertSelects(Map.of("did", "program_link_click:2", "language", "fa"), A, B);
        assertSelects(Map.of("did", "program_link_click:1:30", "active", "true"), A, C, D);
        assertSelects(Map.of("did_not", "program_link_click", "active", "true"), E);
        assertSelects(Map.of("did", "program_link_click", "did_not", "program_link_click:2"), C, D);
        assertSelects(Map.of("did", "view_price", "did_not", "program_link_click:1:30"), E);
        assertSelects(Map.of("did", "program_link_click:2:30", "language", "fa"), A);
        foldEverything(job);
        assertSelects(Map.of("did", "program_link_click", "did_not", "program_link_click:2"), C, D);
        assertSelects(Map.of("did_not", "program_link_click:1:30", "active", "true"), E);
    }

    @Test
    void filtersCombineWithAnd() {
        assertSelects(Map.of("study_track", "math", "grade_year", "11", "onboarding_completed", "true"), A);
        assertSelects(Map.of("reachable_by_dm", "true", "language", "fa"), A);
        assertSelects(Map.of("stream", "5th_stream", "onboarding_completed", "true"), D);
        assertSelects(Map.of("active", "true", "did_not", "program_link_click", "booked", "true"), C, E);
    }

    @Test
    void everyOrderWalksEveryUserOnceWhileUsersAreAdded() {
        for (String sort : List.of("last_seen", "first_seen", "id")) {
            List<Long> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                RequestSpecification request = fixture().queryParam("sort", sort).queryParam("limit", 2);
                if (cursor != null) {
                    request.queryParam("cursor", cursor);
                }
                var response = request.get("/api/users").then().statusCode(200);
                response.extract().jsonPath().getList("users.user_id", String.class).forEach(id -> seen.add(Long.parseLong(id)));
                cursor = response.extract().jsonPath().getString("next_cursor");
                if (cursor != null) {
                    assertEquals(cursor, response.extract().header("X-Next-Cursor"));
                    assertTrue(response.extract().header("Link").contains("first_seen_from=1991-01-01T00%3A00%3A00Z"),
                            "the Link repeats the filter: " + response.extract().header("Link"));
                }
                if (pages++ == 0) {
                    sql(user(FROM + 100 + pages + sort.length(), "segnew" + sort, "fa", true, true, null, "'1991-06-01T00:00:00Z'"));
                }
            } while (cursor != null && pages < 20);
            assertEquals(seen.size(), new HashSet<>(seen).size(), sort + ": no user twice: " + seen);
            assertTrue(seen.containsAll(List.of(A, B, C, D, E)), sort + ": every user of the walk's start: " + seen);
            List<Long> fixtureOrder = seen.stream().filter(id -> id <= E).toList();
            List<Long> expected = sort.equals("id") ? List.of(A, B, C, D, E) : List.of(E, D, C, B, A);
            assertEquals(expected, fixtureOrder, sort + " order");
        }
    }

    @Test
    void csvStreamsTheFilteredUsers() {
        String csv = fixture().queryParam("format", "csv").queryParam("language", "fa").queryParam("sort", "id")
                .get("/api/users").then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        String[] lines = csv.strip().split("\r?\n");
        assertEquals("user_id,username,first_name,last_name,language_code,is_active,is_premium,reachable_by_dm,first_seen_at,last_seen_at", lines[0]);
        assertEquals(3, lines.length, csv);
        assertTrue(lines[1].startsWith(A + ",segalpha,,,fa,true,true,true,1991-03-01T00:00:00.000Z"), lines[1]);
        assertTrue(lines[2].startsWith(B + ",segbravo,,,fa,false,false,false,"), lines[2]);
    }

    @Test
    void everyFilterMemberIsCheckedAndNamed() {
        Map<String, String> refused = Map.ofEntries(
                Map.entry("active", "yes"), Map.entry("reachable_by_dm", "1"), Map.entry("is_premium", "maybe"),
                Map.entry("language", "x".repeat(36)), Map.entry("first_seen_from", "yesterday"),
                Map.entry("last_seen_to", "2200-01-01T00:00:00Z"), Map.entry("first_seen_within", "P0D"),
                Map.entry("last_seen_within", "P4000D"), Map.entry("onboarding_completed", "done"),
                Map.entry("study_track", "t\u0001"), Map.entry("grade_year", "eleven"), Map.entry("has", "password"),
                Map.entry("lacks", "users"), Map.entry("attribute", "a..b"), Map.entry("stream", "s".repeat(51)),
                Map.entry("booking_status", "5"), Map.entry("booked", "no"), Map.entry("did", "click:0"),
                Map.entry("did_not", "click:1:99999"), Map.entry("search", "q".repeat(65)), Map.entry("sort", "name"));
        refused.forEach((name, value) -> {
            assertProblem(api().queryParam(name, value).get("/api/users").then(), 400, name);
            if (!name.equals("sort")) {
                assertProblem(api().queryParam(name, value).get("/api/users/count").then(), 400, name);
            }
        });
        assertProblem(api().queryParam("format", "csv").queryParam("did", ":").get("/api/users").then(), 400, "did");
    }

    @Test
    void aCursorOfAnotherOrderIsRefused() {
        String cursor = fixture().queryParam("limit", 1).queryParam("sort", "id").get("/api/users").then().statusCode(200)
                .extract().jsonPath().getString("next_cursor");
        assertProblem(fixture().queryParam("cursor", cursor).get("/api/users").then(), 400, "cursor");
        assertNull(fixture().queryParam("limit", 1000).get("/api/users").then().extract().jsonPath().getString("next_cursor"));
    }
}
