package dev.tgregistry.users.user;

import dev.tgregistry.users.TestUserIds;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static dev.tgregistry.users.QueryFixtures.assertProblem;
import static dev.tgregistry.users.QueryFixtures.booking;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.idStrings;
import static dev.tgregistry.users.QueryFixtures.ids;
import static dev.tgregistry.users.QueryFixtures.items;
import static dev.tgregistry.users.QueryFixtures.mine;
import static dev.tgregistry.users.QueryFixtures.registration;
import static dev.tgregistry.users.QueryFixtures.user;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/users/non-course, GET /api/stats and PATCH /api/users/{id}/stream. User and booking ids 7_700_000..7_799_999. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class CourseQueryTest {
    static final long FROM = TestUserIds.COURSE_QUERY.from();
    static final long TO = TestUserIds.COURSE_QUERY.to();

    @BeforeEach
    void clean() {
        cleanRange(FROM, TO);
    }

    // ---- non-course ----

    @Test
    void nonCourseListsUsersWithoutAConfirmedBooking() {
        sql(user(7_700_001, "zq_student", "Student", null, "now()"),
                booking(7_700_001, 7_700_001, "5th_stream", 2, null, null, "now()"),
                user(7_700_002, "zq_pending", "Pending", null, "now() - interval '1 minute'"),
                booking(7_700_002, 7_700_002, "5th_stream", 1, null, null, "now()"),
                booking(7_700_003, 7_700_002, "6th_stream", 0, null, null, "now()"),
                user(7_700_003, null, "Nobooking", "Atall", "now() - interval '2 minutes'"),
                user(7_700_004, "zq_paid_then_cancelled", null, null, "now()"),
                booking(7_700_004, 7_700_004, "5th_stream", 2, null, null, "now() - interval '10 days'"),
                booking(7_700_005, 7_700_004, "6th_stream", -1, null, null, "now()"),
                user(7_700_005, "zq_cancelled_only", null, null, "now() - interval '3 minutes'", false),
                booking(7_700_006, 7_700_005, "5th_stream", -1, null, null, "now()"));
        List<Map<String, Object>> all = items(api().get("/api/users/non-course?limit=10000").then().statusCode(200)
                .contentType("application/json"));
        List<Map<String, Object>> mine = mine(all, FROM, TO);
        assertEquals(idStrings(7_700_002, 7_700_003, 7_700_005), ids(mine), "by user id");
        for (Map<String, Object> item : mine) {
            assertEquals(Set.of("user_id", "username", "first_name", "display_name", "is_active", "reachable_by_dm"), item.keySet());
            assertTrue(item.get("user_id") instanceof String, "user_id is a JSON string");
        }
        assertEquals("Nobooking Atall", mine.get(1).get("display_name"));
        assertEquals(false, mine.get(2).get("is_active"));
        assertEquals("@zq_pending", mine.get(0).get("display_name"));
        // nobody in the whole list has a confirmed booking
        assertEquals(0L, scalar("SELECT count(*) FROM bookings WHERE confirmed = 2 AND user_id IN ("
                + String.join(",", ids(all)) + ")"));
        assertProblem(api().get("/api/users/non-course?limit=0").then(), 400, "limit");
    }

    // ---- stats ----

    private static JsonPath stats() {
        return api().get("/api/stats").then().statusCode(200).contentType("application/json").extract().jsonPath();
    }

    @Test
    void statsCountUsersActiveBookingsConfirmedPaymentsAndRegistrations() {
        JsonPath before = stats();
        assertTrue(before.getMap("$").keySet().containsAll(
                Set.of("totalUsers", "activeBookings", "confirmedPayments", "freeLessonRegistrations")), "the original keys stay");
        sql(user(7_700_101, "zq_s1", null, null, "now()"),
                user(7_700_102, "zq_s2", null, null, "now()"),
                user(7_700_103, "zq_s3", null, null, "now()"),
                booking(7_700_101, 7_700_101, "5th_stream", 2, null, null, "now()"),
                booking(7_700_102, 7_700_101, "6th_stream", 1, null, null, "now()"),
                booking(7_700_103, 7_700_102, "5th_stream", 0, null, null, "now()"),
                booking(7_700_104, 7_700_103, "5th_stream", -1, null, null, "now()"),
                booking(7_700_105, 7_700_103, "6th_stream", 2, null, null, "now()"),
                registration(7_700_101, 7_700_101, "s1@zq.test", "2026-01-01", "now()"),
                registration(7_700_102, 7_700_101, "s1@zq.test", "2026-01-08", "now()"));
        JsonPath after = stats();
        assertTrue(after.get("totalUsers") instanceof Number, "counts are JSON numbers");
        assertEquals(3, after.getLong("totalUsers") - before.getLong("totalUsers"));
        assertEquals(4, after.getLong("activeBookings") - before.getLong("activeBookings"), "every booking but the cancelled one");
        assertEquals(2, after.getLong("confirmedPayments") - before.getLong("confirmedPayments"));
        assertEquals(2, after.getLong("freeLessonRegistrations") - before.getLong("freeLessonRegistrations"));
        assertEquals(scalar("SELECT count(*) FROM users"), after.getLong("totalUsers"));
    }

    // ---- PATCH /api/users/{id}/stream ----

    private static io.restassured.response.ValidatableResponse move(long userId, String body) {
        return api().contentType("application/json").body(body).patch("/api/users/" + userId + "/stream").then();
    }

    private static String streamOf(long bookingId) {
        return (String) scalar("SELECT course_stream FROM bookings WHERE id = " + bookingId);
    }

    @Test
    void movesTheLatestNonCancelledBookingIgnoringANewerCancelledOne() {
        sql(user(7_700_200, "zq_mover", null, null, "now()"),
                booking(7_700_201, 7_700_200, "5th_stream", 2, null, null, "now() - interval '20 days'"),
                booking(7_700_202, 7_700_200, "6th_stream", 1, null, null, "now() - interval '10 days'"),
                booking(7_700_203, 7_700_200, "7th_stream", -1, null, null, "now() - interval '1 day'"));
        move(7_700_200, "{\"stream\": \"8th_stream\"}").statusCode(200).contentType("application/json")
                .body("booking_id", equalTo(7_700_202))
                .body("user_id", equalTo("7700200"))
                .body("previous_stream", equalTo("6th_stream"))
                .body("course_stream", equalTo("8th_stream"));
        assertEquals("8th_stream", streamOf(7_700_202));
        assertEquals("5th_stream", streamOf(7_700_201));
        assertEquals("7th_stream", streamOf(7_700_203), "the cancelled booking is untouched");
        assertEquals(1L, scalar("SELECT count(*) FROM booking_admin_edits WHERE booking_id = 7700202 AND field = 'course_stream' "
                + "AND value = '8th_stream' AND previous_value = '6th_stream' AND settled_at IS NULL"), "the move is recorded as a pending admin edit");
        assertNull(scalar("SELECT changed_at FROM bookings WHERE id = 7700202"), "changed_at stays the bot's");
        api().get("/api/users/7700200").then().statusCode(200).body("bookings.find { it.id == 7700202 }.course_stream",
                equalTo("8th_stream"));

        // moving again to the same stream is refused
        assertProblem(move(7_700_200, "{\"stream\": \"8th_stream\"}"), 400, "already in 8th_stream");
        assertEquals("8th_stream", streamOf(7_700_202));
        // a stream that exists only in bookings is a valid target
        sql(booking(7_700_299, 7_700_299, "zq_stream_77", 0, null, null, "now()"));
        move(7_700_200, "{\"stream\": \"zq_stream_77\"}").statusCode(200).body("previous_stream", equalTo("8th_stream"));
    }

    @Test
    void aConfirmedStudentMovedToAnotherStreamIsListedThere() {
        sql(user(7_700_250, "zq_moved_student", "Moved", null, "now()"),
                booking(7_700_251, 7_700_250, "zq_stream_from", 2, null, null, "now()"),
                booking(7_700_252, 7_700_299, "zq_stream_to", 0, null, null, "now()"));
        move(7_700_250, "{\"stream\": \"zq_stream_to\"}").statusCode(200);
        assertEquals(idStrings(7_700_250), ids(items(api().queryParam("stream", "zq_stream_to").get("/api/users/by-stream")
                .then().statusCode(200))));
    }

    @Test
    void noActiveBookingIs400() {
        sql(user(7_700_300, "zq_cancelled", null, null, "now()"),
                booking(7_700_301, 7_700_300, "5th_stream", -1, null, null, "now()"),
                user(7_700_310, "zq_no_booking", null, null, "now()"));
        assertProblem(move(7_700_300, "{\"stream\": \"6th_stream\"}"), 400, "no active booking");
        assertEquals("5th_stream", streamOf(7_700_301));
        assertProblem(move(7_700_310, "{\"stream\": \"6th_stream\"}"), 400, "no active booking");
    }

    @Test
    void unknownOrMissingStreamAndBadIdAre400() {
        sql(user(7_700_400, "zq_target", null, null, "now()"),
                booking(7_700_401, 7_700_400, "5th_stream", 2, null, null, "now()"));
        assertProblem(move(7_700_400, "{\"stream\": \"99th_stream\"}"), 400, "99th_stream", "3rd_stream", "mentoring");
        assertProblem(move(7_700_400, "{}"), 400, "stream is required");
        assertProblem(move(7_700_400, "{\"stream\": 5}"), 400, "stream is required");
        assertProblem(move(7_700_400, "{\"stream\": \"\"}"), 400, "Stream parameter is required");
        assertProblem(move(7_700_400, "{\"stream\": \"  \"}"), 400, "Stream parameter is required");
        assertProblem(api().contentType("application/json").body("{\"stream\": \"6th_stream\"}")
                .patch("/api/users/abc/stream").then(), 400, "id");
        assertEquals("5th_stream", streamOf(7_700_401));
    }

    @Test
    void streamChangeNeedsTheApiKey() {
        sql(user(7_700_500, "zq_locked", null, null, "now()"),
                booking(7_700_501, 7_700_500, "5th_stream", 2, null, null, "now()"));
        assertProblem(given().contentType("application/json").body("{\"stream\": \"6th_stream\"}")
                .patch("/api/users/7700500/stream").then(), 401, "API key");
        assertProblem(given().header("Authorization", "Bearer wrong").contentType("application/json")
                .body("{\"stream\": \"6th_stream\"}").patch("/api/users/7700500/stream").then(), 401, "wrong API key");
        assertEquals("5th_stream", streamOf(7_700_501));
    }
}
