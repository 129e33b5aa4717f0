package dev.tgregistry.users.reachability;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.users.TestUserIds;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.tgregistry.users.QueryFixtures.booking;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.registration;
import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every audience item, JSON and CSV, carries {@code is_active} and {@code reachable_by_dm} as the user's row says: a
 * reachable user, a blocked one, one seen only in groups, a deleted account, one the bot cannot initiate with, and one
 * the registry does not hold (active, not reachable). Flags are read as "is_active/reachable_by_dm".
 * User ids 7_932_000..7_932_999 (booking and registration ids too).
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class AudienceFlagsTest {
    static final long FROM = TestUserIds.AUDIENCE_FLAGS.from();
    static final long TO = TestUserIds.AUDIENCE_FLAGS.to();
    static final String STREAM = "flags_stream";

    @BeforeEach
    void clean() {
        cleanRange(FROM, TO);
        sql("DELETE FROM bookings WHERE id BETWEEN " + FROM + " AND " + TO,
                "DELETE FROM free_lesson_registrations WHERE id BETWEEN " + FROM + " AND " + TO);
    }

    /** A users row: active or not, a private chat or not, a reason or none. */
    private static String user(long id, boolean active, boolean privateChat, String reason) {
        return "INSERT INTO users (user_id, username, first_seen_at, last_seen_at, is_active, private_chat_since, unreachable_reason) VALUES ("
                + id + ", 'flags_" + id + "', now(), now(), " + active + ", " + (privateChat ? "now()" : "NULL") + ", "
                + (reason == null ? "NULL" : "'" + reason + "'") + ")";
    }

    private static Map<String, String> jsonFlags(List<Map<String, Object>> items) {
        Map<String, String> flags = new TreeMap<>();
        for (Map<String, Object> item : items) {
            long id = Long.parseLong((String) item.get("user_id"));
            if (id >= FROM && id <= TO) {
                flags.put((String) item.get("user_id"), item.get("is_active") + "/" + item.get("reachable_by_dm"));
            }
        }
        return flags;
    }

    private static Map<String, String> csvFlags(String path) {
        String body = api().get(path + (path.contains("?") ? "&" : "?") + "format=csv").then().statusCode(200).extract().asString();
        List<String> lines = Arrays.asList(body.split("\r\n"));
        List<String> header = Arrays.asList(lines.get(0).split(","));
        int active = header.indexOf("is_active");
        int reachable = header.indexOf("reachable_by_dm");
        assertEquals(List.of("is_active", "reachable_by_dm"), header.subList(header.size() - 2, header.size()), "the last columns");
        Map<String, String> flags = new TreeMap<>();
        // other tests' users may have names with commas, quotes or line breaks (quoted fields): only rows of this
        // class's users (no names) are read, and their flags are the two last fields
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            if (!fields[0].matches("\\d{1,19}")) {
                continue;
            }
            long id = Long.parseLong(fields[0]);
            if (id >= FROM && id <= TO) {
                assertEquals(header.size(), fields.length, line);
                flags.put(fields[0], fields[active] + "/" + fields[reachable]);
            }
        }
        return flags;
    }

    @Test
    void byStreamAndStreamStudentsItemsCarryTheFlags() {
        sql(user(FROM + 1, true, true, null), user(FROM + 2, false, true, "blocked"), user(FROM + 3, true, false, null),
                user(FROM + 4, false, true, "deactivated"),
                booking(FROM + 1, FROM + 1, STREAM, 2, null, null, "now()"),
                booking(FROM + 2, FROM + 2, STREAM, 2, null, null, "now()"),
                booking(FROM + 3, FROM + 3, STREAM, 2, null, null, "now()"),
                booking(FROM + 4, FROM + 4, STREAM, 2, null, null, "now()"),
                booking(FROM + 5, FROM + 5, STREAM, 2, "booked_only", null, "now()")); // no users row
        Map<String, String> expected = Map.of(String.valueOf(FROM + 1), "true/true", String.valueOf(FROM + 2), "false/false",
                String.valueOf(FROM + 3), "true/false", String.valueOf(FROM + 4), "false/false", String.valueOf(FROM + 5), "true/false");
        assertEquals(expected, jsonFlags(api().get("/api/users/by-stream?stream=" + STREAM).then().statusCode(200)
                .extract().jsonPath().getList("$")));
        assertEquals(expected, csvFlags("/api/users/by-stream?stream=" + STREAM));
        assertEquals(expected, jsonFlags(api().get("/api/stream-students?stream=" + STREAM).then().statusCode(200)
                .extract().jsonPath().getList("students")));
        assertEquals(expected, csvFlags("/api/stream-students?stream=" + STREAM));
    }

    @Test
    void nonCourseAndLeadItemsCarryTheFlags() {
        sql(user(FROM + 11, true, true, null), user(FROM + 12, false, true, null), user(FROM + 13, true, false, null),
                user(FROM + 21, true, true, null), user(FROM + 22, true, false, "cant_initiate"),
                registration(FROM + 21, FROM + 21, "a@flags.test", "2026-03-01", "now()"),
                registration(FROM + 22, FROM + 22, "b@flags.test", "2026-03-01", "now()"),
                registration(FROM + 23, FROM + 23, "c@flags.test", "2026-03-01", "now()")); // no users row
        Map<String, String> nonCourse = csvFlags("/api/users/non-course");
        assertEquals("true/true", nonCourse.get(String.valueOf(FROM + 11)));
        assertEquals("false/false", nonCourse.get(String.valueOf(FROM + 12)));
        assertEquals("true/false", nonCourse.get(String.valueOf(FROM + 13)));
        assertEquals("true/false", nonCourse.get(String.valueOf(FROM + 22)));
        assertEquals(Map.of(String.valueOf(FROM + 21), "true/true", String.valueOf(FROM + 22), "true/false",
                String.valueOf(FROM + 23), "true/false"), csvFlags("/api/user-activity"));
        assertEquals(Map.of(String.valueOf(FROM + 11), "true/true", String.valueOf(FROM + 12), "false/false",
                String.valueOf(FROM + 13), "true/false", String.valueOf(FROM + 21), "true/true", String.valueOf(FROM + 22), "true/false"),
                jsonFlags(walkNonCourse()));
    }

    /** Every page of the non-course list, following X-Next-Cursor. */
    private static List<Map<String, Object>> walkNonCourse() {
        List<Map<String, Object>> all = new java.util.ArrayList<>();
        String cursor = null;
        do {
            var response = api().get("/api/users/non-course?limit=10000" + (cursor == null ? "" : "&cursor=" + cursor)).then()
                    .statusCode(200).extract();
            all.addAll(response.jsonPath().getList("$"));
            cursor = response.header("X-Next-Cursor");
        } while (cursor != null);
        return all;
    }
}
