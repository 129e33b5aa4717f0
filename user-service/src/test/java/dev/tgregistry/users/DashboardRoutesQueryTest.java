package dev.tgregistry.users;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static dev.tgregistry.users.QueryFixtures.assertProblem;
import static dev.tgregistry.users.QueryFixtures.booking;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.event;
import static dev.tgregistry.users.QueryFixtures.ids;
import static dev.tgregistry.users.QueryFixtures.items;
import static dev.tgregistry.users.QueryFixtures.mine;
import static dev.tgregistry.users.QueryFixtures.registration;
import static dev.tgregistry.users.QueryFixtures.user;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The original dashboard's routes (docs/ORIGINAL-DASHBOARD.md §3, §4.6): field names, JSON types and string ids
 * as its examples show them, and the fixes API.md states. User and booking ids 9_620_000_000..9_620_999_999.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class DashboardRoutesQueryTest {
    private static final long FROM = TestUserIds.DASHBOARD_ROUTES_QUERY.from();
    private static final long TO = TestUserIds.DASHBOARD_ROUTES_QUERY.to();
    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    private static final long ONE = FROM + 1;      // users row, two bookings, events, a registration
    private static final long TWO = FROM + 2;      // booking only in the users table's absence of names
    private static final long VIEWER = FROM + 3;   // viewed the 8th stream's program, no booking there

    @BeforeEach
    void seed() {
        cleanRange(FROM, TO);
        sql("DELETE FROM booking_admin_edits WHERE user_id BETWEEN " + FROM + " AND " + TO,
                user(ONE, "dzq_one", "One", null, "'2025-08-01T10:00:00Z'"),
                user(TWO, null, null, null, "'2025-07-01T10:00:00Z'"),
                user(VIEWER, null, null, null, "'2026-01-06T10:00:00Z'"),
                booking(FROM + 101, ONE, "dzq_stream", 2, "old_name", "Old", "'2025-06-01T10:00:00Z'"),
                booking(FROM + 102, ONE, "dzq_stream_b", 0, "old_name", "Old", "'2025-07-01T10:00:00Z'"),
                booking(FROM + 103, TWO, "dzq_stream", -1, "two_from_booking", "Two", "'2025-05-01T10:00:00Z'"),
                event(ONE, "view_program", "{\"course_id\": 1}", "'2025-07-15T10:00:00Z'"),
                event(ONE, "start_command", null, "'2025-07-10T10:00:00Z'"),
                event(VIEWER, "view_program", "{\"course_id\": 1, \"username\": \"viewer_dzq\", \"first_name\": \"View\"}",
                        "'2026-01-05T10:00:00Z'"),
                event(VIEWER, "view_program", "{\"course_id\": 1}", "'2025-12-01T10:00:00Z'"),
                registration(FROM + 201, ONE, "a@b.cc", "2025-04-05", "'2025-04-01T10:00:00Z'"));
    }

    // ---- GET /api/users/list (§3.4) ----

    @Test
    void listHasTheOriginalShapeAndFiltersByTheNewestBooking() {
        ValidatableResponse response = api().queryParam("search", "dzq_o").get("/api/users/list").then().statusCode(200)
                .body("success", equalTo(true)).body("total", equalTo(1)).body("page", equalTo(1))
                .body("limit", equalTo(50)).body("totalPages", equalTo(1));
        Map<String, Object> one = response.extract().jsonPath().getMap("users[0]");
        assertEquals(String.valueOf(ONE), one.get("user_id"));
        assertEquals("dzq_one", one.get("username"));
        assertEquals("One", one.get("first_name"));
        assertEquals("2025-08-01T10:00:00.000Z", one.get("last_activity"));
        assertEquals(2, one.get("total_bookings"));
        assertEquals(2, one.get("total_events"));
        assertEquals(1, one.get("total_free_lessons"));
        assertEquals("dzq_stream_b", one.get("latest_stream"), "the newest booking's stream");
        assertEquals(0, one.get("latest_payment_status"));

        // stream and status test the newest booking (cancelled included); status 0 works
        assertEquals(List.of(String.valueOf(ONE)), ids(api().queryParam("stream", "dzq_stream_b").queryParam("status", "0")
                .get("/api/users/list").then().statusCode(200).extract().jsonPath().getList("users")));
        Map<String, Object> two = api().queryParam("stream", "dzq_stream").get("/api/users/list").then().statusCode(200)
                .body("total", equalTo(1)).extract().jsonPath().getMap("users[0]");
        assertEquals(String.valueOf(TWO), two.get("user_id"));
        assertEquals("two_from_booking", two.get("username"), "a nameless user shows the booking's name");
        assertEquals(-1, two.get("latest_payment_status"));
        // an events-only user is listed too (the original missed them)
        assertEquals(1, api().queryParam("search", "dzq").queryParam("limit", "1").get("/api/users/list").then().statusCode(200)
                .extract().jsonPath().getList("users").size());
        // % and _ match themselves
        api().queryParam("search", "dzq%one").get("/api/users/list").then().statusCode(200).body("total", equalTo(0));
        api().queryParam("search", "dzq_one").get("/api/users/list").then().statusCode(200).body("total", equalTo(1));
    }

    @Test
    void listRejectsWhatTheOriginalAnsweredWithA500() {
        assertProblem(api().queryParam("page", "0").get("/api/users/list").then(), 400, "page");
        assertProblem(api().queryParam("limit", "-1").get("/api/users/list").then(), 400, "limit");
        assertProblem(api().queryParam("status", "abc").get("/api/users/list").then(), 400, "status");
        assertProblem(api().queryParam("status", "3").get("/api/users/list").then(), 400, "status");
    }

    // ---- GET /api/users/{id} (§3.5) and GET /api/users/{id}/bookings (§3.6) ----

    @Test
    void detailCarriesSuccessFreeLessonsAndTheTotals() {
        api().get("/api/users/" + ONE).then().statusCode(200)
                .body("success", equalTo(true))
                .body("user.user_id", equalTo(String.valueOf(ONE)))
                .body("user.display_name", equalTo("@dzq_one"))
                .body("user.last_activity", equalTo("2025-08-01T10:00:00.000Z"))
                .body("user.total_bookings", equalTo(2)).body("user.total_events", equalTo(2))
                .body("user.total_free_lessons", equalTo(1))
                .body("user.latest_stream", equalTo("dzq_stream_b")).body("user.latest_payment_status", equalTo(0))
                .body("bookings.size()", equalTo(2))
                .body("bookings[0].user_id", equalTo(String.valueOf(ONE)))
                .body("bookings[0].id", instanceOf(Number.class))
                .body("bookings[0].created_at", equalTo("2025-07-01T10:00:00.000Z"))
                .body("bookings[0]", hasKey("referral_code")).body("bookings[0].discount_percent", equalTo(0))
                .body("events.size()", equalTo(2)).body("events[0].event_type", equalTo("view_program"))
                .body("events[0].details.course_id", equalTo(1))
                .body("freeLessons.size()", equalTo(1))
                .body("freeLessons[0].user_id", equalTo(String.valueOf(ONE)))
                .body("freeLessons[0].email", equalTo("a@b.cc"))
                .body("freeLessons[0].lesson_type", equalTo("cursor_lesson"))
                .body("freeLessons[0].lesson_date", equalTo("2025-04-05"))
                .body("freeLessons[0].registered_at", matchesPattern(TIMESTAMP))
                .body("freeLessons[0].notification_sent", equalTo(false))
                .body("free_lessons.size()", equalTo(1));
        // a users-only person (no booking or registration) is found; the original answered 404
        api().get("/api/users/" + VIEWER).then().statusCode(200).body("user.total_bookings", equalTo(0))
                .body("user.latest_stream", nullValue()).body("user.latest_payment_status", nullValue());

        api().get("/api/users/" + ONE + "/bookings").then().statusCode(200).body("success", equalTo(true))
                .body("bookings.size()", equalTo(2)).body("bookings[1].course_stream", equalTo("dzq_stream"))
                .body("bookings[1].confirmed", equalTo(2)).body("bookings[1].user_id", equalTo(String.valueOf(ONE)));
        api().get("/api/users/" + VIEWER + "/bookings").then().statusCode(200).body("bookings.size()", equalTo(0));
        assertProblem(api().get("/api/users/abc/bookings").then(), 400, "id");
    }

    // ---- PATCH /api/users/{id}/bookings (§3.6) and PATCH /api/users/{id}/stream (§3.7) ----

    private static ValidatableResponse patchBookings(long userId, String body) {
        return api().contentType("application/json").body(body).patch("/api/users/" + userId + "/bookings").then();
    }

    @Test
    void bookingPatchEditsTheNamedOrNewestActiveBookingWithTheFixesApplied() {
        // bookingId null: the newest booking that is not cancelled; confirmed 0 and discount null (→ 0) are accepted
        patchBookings(ONE, "{\"bookingId\": null, \"updates\": {\"confirmed\": 1, \"discount_percent\": null, \"course_stream\": \"8th_stream\"}}")
                .statusCode(200).body("success", equalTo(true)).body("message", equalTo("Booking updated successfully"))
                .body("booking_id", equalTo(FROM + 102)).body("changed_fields", equalTo(List.of("course_stream", "confirmed")));
        assertEquals("8th_stream", scalar("SELECT course_stream FROM bookings WHERE id = " + (FROM + 102)));
        assertEquals(1, ((Number) scalar("SELECT confirmed FROM bookings WHERE id = " + (FROM + 102))).intValue());
        patchBookings(ONE, "{\"bookingId\": " + (FROM + 101) + ", \"updates\": {\"confirmed\": 0, \"referral_code\": null}}")
                .statusCode(200).body("changed_fields", equalTo(List.of("confirmed")));
        assertEquals(0, ((Number) scalar("SELECT confirmed FROM bookings WHERE id = " + (FROM + 101))).intValue());
        assertEquals(3L, scalar("SELECT count(*) FROM booking_admin_edits WHERE user_id = " + ONE
                + " AND key_id LIKE 'key-%' AND settled_at IS NULL"));

        // another user's booking: 404, nothing changed
        assertProblem(patchBookings(ONE, "{\"bookingId\": " + (FROM + 103) + ", \"updates\": {\"confirmed\": 2}}"), 404, "not found");
        assertEquals(-1, ((Number) scalar("SELECT confirmed FROM bookings WHERE id = " + (FROM + 103))).intValue());
        // TWO's only booking is cancelled
        assertProblem(patchBookings(TWO, "{\"updates\": {\"confirmed\": 2}}"), 400, "no active booking");
        assertProblem(patchBookings(ONE, "{\"bookingId\": null}"), 400, "Updates object is required");
        assertProblem(patchBookings(ONE, "{\"updates\": []}"), 400, "Updates object is required");
        assertProblem(patchBookings(ONE, "{\"updates\": {}}"), 400, "nothing to update");
        assertProblem(patchBookings(ONE, "{\"updates\": {\"course_stream\": \"99th_stream\"}}"), 400, "99th_stream", "8th_stream");
        assertProblem(patchBookings(ONE, "{\"updates\": {\"confirmed\": 3}}"), 400, "Invalid payment status");
        assertProblem(patchBookings(ONE, "{\"updates\": {\"discount_percent\": 101}}"), 400, "Discount percent must be between 0 and 100");
        assertProblem(patchBookings(ONE, "{\"bookingId\": \"x\", \"updates\": {\"confirmed\": 2}}"), 400, "bookingId");
        assertProblem(patchBookings(0, "{\"updates\": {\"confirmed\": 2}}"), 400, "id");
        // clearing the stream (the UI sends null)
        patchBookings(ONE, "{\"bookingId\": " + (FROM + 101) + ", \"updates\": {\"course_stream\": null}}").statusCode(200);
        assertNull(scalar("SELECT course_stream FROM bookings WHERE id = " + (FROM + 101)));
    }

    @Test
    void streamPatchTakesNewStreamOrStreamAndAnswersBothShapes() {
        api().contentType("application/json").body("{\"newStream\": \"8th_stream\"}").patch("/api/users/" + ONE + "/stream")
                .then().statusCode(200)
                .body("success", equalTo(true)).body("message", equalTo("Stream updated successfully"))
                .body("bookingId", equalTo(FROM + 102)).body("booking_id", equalTo(FROM + 102))
                .body("previous_stream", equalTo("dzq_stream_b")).body("course_stream", equalTo("8th_stream"));
        api().contentType("application/json").body("{\"stream\": \"mentoring\"}").patch("/api/users/" + ONE + "/stream")
                .then().statusCode(200).body("previous_stream", equalTo("8th_stream"));
        assertEquals("mentoring", scalar("SELECT course_stream FROM bookings WHERE id = " + (FROM + 102)));
        assertProblem(api().contentType("application/json").body("{\"newStream\": 5}").patch("/api/users/" + ONE + "/stream").then(),
                400, "stream is required");
        assertEquals(1L, scalar("SELECT count(*) FROM booking_admin_edits WHERE booking_id = " + (FROM + 102)
                + " AND settled_at IS NULL"), "the second move supersedes the first edit");
    }

    // ---- GET /api/stream-students (§3.8) ----

    @Test
    void streamStudentsListsBookingsAndTheCampaignsViewers() {
        sql(booking(FROM + 104, ONE, "8th_stream", 1, "old_name", "Old", "'2026-01-10T10:00:00Z'"));
        ValidatableResponse response = api().queryParam("stream", "8th_stream").get("/api/stream-students").then().statusCode(200)
                .body("stream", equalTo("8th_stream"));
        int total = response.extract().jsonPath().getInt("total");
        List<Map<String, Object>> all = response.extract().jsonPath().getList("students");
        assertEquals(all.size(), total);
        List<Map<String, Object>> mine = mine(all, FROM, TO);
        assertEquals(List.of(String.valueOf(ONE), String.valueOf(VIEWER)), ids(mine), "created_at desc");
        Map<String, Object> booked = mine.get(0);
        assertEquals("booking", booked.get("source"));
        assertEquals(1, booked.get("confirmed"));
        assertEquals("dzq_one", booked.get("username"));
        assertEquals("2026-01-10T10:00:00.000Z", booked.get("created_at"));
        assertEquals("2025-07-15T10:00:00.000Z", booked.get("last_activity"));
        assertEquals(2, booked.get("events_count"));
        Map<String, Object> viewer = mine.get(1);
        assertEquals("viewed", viewer.get("source"));
        assertNull(viewer.get("confirmed"));
        assertEquals("viewer_dzq", viewer.get("username"), "names from the newest view's details");
        assertEquals("View", viewer.get("first_name"));
        assertEquals("2026-01-05T10:00:00.000Z", viewer.get("created_at"));
        assertEquals(1, viewer.get("events_count"), "the view before the campaign's start does not count");

        // another stream has no viewers
        List<Map<String, Object>> other = mine(api().queryParam("stream", "dzq_stream").get("/api/stream-students").then()
                .statusCode(200).extract().jsonPath().getList("students"), FROM, TO);
        assertEquals(List.of(String.valueOf(ONE), String.valueOf(TWO)), ids(other));
        assertEquals(-1, other.get(1).get("confirmed"));
        assertProblem(api().get("/api/stream-students").then(), 400, "Stream parameter is required");
        assertProblem(api().queryParam("stream", "99th_stream").get("/api/stream-students").then(), 400, "99th_stream");
    }

    // ---- GET /api/users/search?stats=true (§3.1), /api/users/hackathon (§3.3) ----

    @Test
    void searchStatsAndHackathon() {
        sql("DROP TABLE IF EXISTS hackathon_registrations");
        assertEquals(List.of(), items(api().get("/api/users/hackathon").then().statusCode(200)));
        api().queryParam("stats", "true").get("/api/users/search").then().statusCode(200).body("hackathonUsers", equalTo(0));

        sql("CREATE TABLE hackathon_registrations (id SERIAL PRIMARY KEY, user_id BIGINT, username TEXT)",
                "INSERT INTO hackathon_registrations (user_id, username) VALUES (" + ONE + ", 'h'), (" + ONE + ", 'h2'), (" + TWO + ", NULL)");
        try {
            List<Map<String, Object>> hackers = items(api().get("/api/users/hackathon").then().statusCode(200));
            assertEquals(List.of(String.valueOf(ONE), String.valueOf(TWO)), ids(hackers));
            assertEquals("dzq_one", hackers.get(0).get("username"));
            assertEquals("One", hackers.get(0).get("first_name"));

            ValidatableResponse stats = api().queryParam("stats", "true").queryParam("q", "ignored").get("/api/users/search")
                    .then().statusCode(200)
                    .body("hackathonUsers", equalTo(2))
                    .body("streamStats.dzq_stream", equalTo(1)).body("streamStats.3rd_stream", instanceOf(Integer.class))
                    .body("initialized", equalTo(true)).body("lastUpdate", matchesPattern(TIMESTAMP));
            Map<String, Object> body = stats.extract().jsonPath().getMap("$");
            for (String key : List.of("totalUsers", "indexSize", "streamCacheSize", "nonCourseUsers")) {
                assertInstanceOf(Integer.class, body.get(key), key);
            }
            assertTrue(((Integer) body.get("totalUsers")) >= 3);
            // stats=true is the exact string; anything else searches
            api().queryParam("stats", "yes").queryParam("q", "dzq_one").get("/api/users/search").then().statusCode(200)
                    .body("[0].user_id", equalTo(String.valueOf(ONE)));
        } finally {
            sql("DROP TABLE hackathon_registrations");
        }
    }

    // ---- GET /api/bookings, GET /api/free-lessons (§4.6) ----

    @Test
    void recentBookingsAndRegistrationsHaveTheOriginalShape() {
        sql(booking(FROM + 105, TWO, "dzq_stream", 0, "two_from_booking", "Two", "'2999-01-01T00:00:00Z'"),
                registration(FROM + 202, TWO, "", null, "'2999-01-01T00:00:00Z'"),
                "UPDATE free_lesson_registrations SET lesson_type = '' WHERE id = " + (FROM + 202));
        Map<String, Object> booking = items(api().queryParam("limit", "1").get("/api/bookings").then().statusCode(200)).get(0);
        assertEquals(String.valueOf(TWO), booking.get("user_id"));
        assertEquals("two_from_booking", booking.get("username"));
        assertEquals("Two", booking.get("first_name"));
        assertEquals(1, booking.get("course_id"));
        assertEquals("dzq_stream", booking.get("course_stream"));
        assertEquals(0, booking.get("confirmed"));
        assertEquals("2999-01-01T00:00:00.000Z", booking.get("created_at"));
        assertTrue(booking.containsKey("referral_code") && booking.containsKey("discount_percent") && booking.containsKey("id"));
        assertProblem(api().queryParam("limit", "201").get("/api/bookings").then(), 400, "limit");

        Map<String, Object> lesson = items(api().queryParam("limit", "1").get("/api/free-lessons").then().statusCode(200)).get(0);
        assertEquals(String.valueOf(TWO), lesson.get("user_id"));
        assertEquals("N/A", lesson.get("username"));
        assertEquals("N/A", lesson.get("first_name"));
        assertEquals("N/A", lesson.get("email"));
        assertEquals("Unknown", lesson.get("lesson_type"));
        assertEquals("N/A", lesson.get("lesson_date"));
        assertEquals(false, lesson.get("notification_sent"));
        assertEquals("2999-01-01T00:00:00.000Z", lesson.get("registered_at"));
        assertProblem(api().queryParam("limit", "501").get("/api/free-lessons").then(), 400, "limit");
        assertTrue(items(api().get("/api/free-lessons").then().statusCode(200)).size() <= 50, "default limit 50");
    }
}
