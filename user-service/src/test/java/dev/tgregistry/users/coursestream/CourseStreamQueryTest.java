package dev.tgregistry.users.coursestream;

import dev.tgregistry.users.TestUserIds;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
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
import static dev.tgregistry.users.QueryFixtures.user;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/users/by-stream. User ids (and booking ids) 7_200_000..7_299_999. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class CourseStreamQueryTest {
    static final long FROM = TestUserIds.COURSE_STREAM_QUERY.from();
    static final long TO = TestUserIds.COURSE_STREAM_QUERY.to();
    /** A stream that exists only because this class books it (not configured). */
    static final String OWN_STREAM = "zq_stream_72";

    @BeforeEach
    void clean() {
        cleanRange(FROM, TO);
    }

    private static List<Map<String, Object>> byStream(String stream) {
        return items(api().queryParam("stream", stream).get("/api/users/by-stream").then().statusCode(200));
    }

    @Test
    void missingStreamIs400() {
        assertProblem(api().get("/api/users/by-stream").then(), 400, "Stream parameter is required");
        assertProblem(api().queryParam("stream", "").get("/api/users/by-stream").then(), 400, "Stream parameter is required");
        assertProblem(api().queryParam("stream", "   ").get("/api/users/by-stream").then(), 400, "Stream parameter is required");
    }

    @Test
    void unknownStreamIs400ListingTheValidOnes() {
        sql(booking(7_200_001, 7_200_001, OWN_STREAM, 0, "u", "U", "now()"));
        assertProblem(api().queryParam("stream", "2nd_stream").get("/api/users/by-stream").then(), 400,
                "2nd_stream", "3rd_stream", "4th_stream", "5th_stream", "6th_stream", "7th_stream", "8th_stream",
                "mentoring", OWN_STREAM);
        // SQL-looking input is just an unknown stream, never a server error
        assertProblem(api().queryParam("stream", "x' OR '1'='1").get("/api/users/by-stream").then(), 400, "3rd_stream");
    }

    @Test
    void configuredStreamWithoutBookingsIsAnEmptyList() {
        for (String configured : List.of("3rd_stream", "8th_stream", "mentoring")) {
            long confirmedUsers = (Long) scalar("SELECT count(DISTINCT user_id) FROM bookings WHERE confirmed = 2 AND course_stream = '"
                    + configured + "'");
            api().queryParam("stream", configured).get("/api/users/by-stream").then().statusCode(200)
                    .contentType("application/json").body("$", hasSize((int) confirmedUsers));
        }
        // configured and with only unconfirmed bookings of this class: still valid, still no students of ours
        sql(booking(7_200_005, 7_200_005, "8th_stream", 1, "x", "X", "now()"));
        assertEquals(List.of(), mine(byStream("8th_stream"), FROM, TO));
    }

    @Test
    void aStreamPresentOnlyInBookingsIsValid() {
        sql(user(7_200_010, "zq_nine", "Nina", null, "now()"),
                booking(7_200_010, 7_200_010, "9th_stream", 2, "zq_nine", "Nina", "now()"),
                booking(7_200_011, 7_200_011, OWN_STREAM, 0, "zq_own", "Own", "now()"));
        List<Map<String, Object>> ninth = mine(byStream("9th_stream"), FROM, TO);
        assertEquals(idStrings(7_200_010), ids(ninth));
        assertEquals("9th_stream", ninth.get(0).get("course_stream"));
        // present in bookings without any confirmed booking: valid, and empty
        assertEquals(List.of(), byStream(OWN_STREAM));
        // surrounding whitespace is not part of the stream name
        assertEquals(idStrings(7_200_010), ids(mine(byStream(" 9th_stream "), FROM, TO)));
    }

    @Test
    void onlyConfirmedBookingsCountAndOneRowPerUserOrderedById() {
        sql(user(7_200_023, "zq_c", "Cee", null, "now()"),
                user(7_200_021, "zq_a", "Ay", null, "now()"),
                user(7_200_022, "zq_b", "Bee", null, "now()"),
                user(7_200_024, "zq_d", "Dee", null, "now()"),
                // two confirmed bookings of the same user in the stream: one row
                booking(7_200_101, 7_200_023, OWN_STREAM, 2, "zq_c", "Cee", "now() - interval '2 days'"),
                booking(7_200_102, 7_200_023, OWN_STREAM, 2, "zq_c", "Cee", "now()"),
                booking(7_200_103, 7_200_021, OWN_STREAM, 2, "zq_a", "Ay", "now()"),
                // not confirmed = 2: pending, confirmed = 1, cancelled
                booking(7_200_104, 7_200_022, OWN_STREAM, 0, "zq_b", "Bee", "now()"),
                booking(7_200_105, 7_200_022, OWN_STREAM, 1, "zq_b", "Bee", "now()"),
                booking(7_200_106, 7_200_024, OWN_STREAM, -1, "zq_d", "Dee", "now()"),
                // confirmed, but in another stream
                booking(7_200_107, 7_200_024, "9th_stream", 2, "zq_d", "Dee", "now()"),
                booking(7_200_108, 7_200_025, OWN_STREAM, 2, "zq_e", "Eee", "now()"));
        List<Map<String, Object>> students = byStream(OWN_STREAM);
        assertEquals(idStrings(7_200_021, 7_200_023, 7_200_025), ids(students));
        for (Map<String, Object> item : students) {
            assertEquals(Set.of("user_id", "username", "first_name", "display_name", "course_stream", "is_active",
                    "reachable_by_dm"), item.keySet());
            assertTrue(item.get("user_id") instanceof String, "user_id is a JSON string");
            assertEquals(OWN_STREAM, item.get("course_stream"));
        }
        assertEquals("zq_a", students.get(0).get("username"));
        assertEquals("Ay", students.get(0).get("first_name"));
        assertEquals("@zq_a", students.get(0).get("display_name"));
    }

    @Test
    void orderedByUserId() {
        // inserted out of order; the answer is sorted by user id, and so is every other stream's list
        sql(booking(7_200_201, 7_200_209, OWN_STREAM, 2, "z9", null, "now()"),
                booking(7_200_202, 7_200_200, OWN_STREAM, 2, "z0", null, "now()"),
                booking(7_200_203, 7_200_205, OWN_STREAM, 2, "z5", null, "now()"));
        assertEquals(idStrings(7_200_200, 7_200_205, 7_200_209), ids(byStream(OWN_STREAM)));
        // every stream's list is strictly increasing by numeric user id
        for (String stream : List.of("5th_stream", "8th_stream", "mentoring")) {
            List<Map<String, Object>> students = byStream(stream);
            for (int i = 1; i < students.size(); i++) {
                assertTrue(Long.parseLong((String) students.get(i - 1).get("user_id"))
                        < Long.parseLong((String) students.get(i).get("user_id")), stream + " ordered by user id at " + i);
            }
        }
    }

    @Test
    void aRenamedUserIsOneRowWithTheNamesFromUsers() {
        sql(user(7_200_030, "zq_new_name", "Newfirst", "Last", "now()"),
                booking(7_200_301, 7_200_030, OWN_STREAM, 2, "zq_old_name", "Oldfirst", "now() - interval '30 days'"),
                booking(7_200_302, 7_200_030, OWN_STREAM, 2, "zq_mid_name", "Midfirst", "now() - interval '3 days'"));
        List<Map<String, Object>> students = byStream(OWN_STREAM);
        assertEquals(1, students.size());
        Map<String, Object> student = students.get(0);
        assertEquals("7200030", student.get("user_id"));
        assertEquals("zq_new_name", student.get("username"));
        assertEquals("Newfirst", student.get("first_name"));
        assertEquals("@zq_new_name", student.get("display_name"));
    }

    @Test
    void namesFallBackToTheBookingWhenUsersHasNone() {
        sql(// no users row at all
                booking(7_200_401, 7_200_040, OWN_STREAM, 2, "zq_booked", "Booked", "now()"),
                // a users row without any name
                user(7_200_041, null, null, null, "now()"),
                booking(7_200_402, 7_200_041, OWN_STREAM, 2, null, "Bookingfirst", "now()"),
                // no name anywhere
                booking(7_200_403, 7_200_042, OWN_STREAM, 2, null, null, "now()"),
                // no users row, renamed between two confirmed bookings: one row, the newest booking's names
                booking(7_200_404, 7_200_043, OWN_STREAM, 2, "zq_old_booked", "Oldname", "now() - interval '20 days'"),
                booking(7_200_405, 7_200_043, OWN_STREAM, 2, "zq_new_booked", "Newname", "now() - interval '1 day'"));
        List<Map<String, Object>> students = byStream(OWN_STREAM);
        assertEquals(idStrings(7_200_040, 7_200_041, 7_200_042, 7_200_043), ids(students));
        assertEquals("zq_new_booked", students.get(3).get("username"));
        assertEquals("Newname", students.get(3).get("first_name"));
        assertEquals("zq_booked", students.get(0).get("username"));
        assertEquals("Booked", students.get(0).get("first_name"));
        assertEquals("@zq_booked", students.get(0).get("display_name"));
        assertEquals(null, students.get(1).get("username"));
        assertEquals("Bookingfirst", students.get(1).get("first_name"));
        assertEquals("Bookingfirst", students.get(1).get("display_name"));
        assertEquals("User 7200042", students.get(2).get("display_name"));
    }
}
