package dev.tgregistry.users.analytics;

import dev.tgregistry.users.TestUserIds;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.model.BookingChanged;
import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.RegistryRecord;
import dev.tgregistry.model.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.sql;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Daily stats, user growth, top events, courses, course streams and lesson conversion against a hand-computed
 * fixture. User ids 8_100_000..8_199_999; the time-series fixture lives in March 2003 (no other test writes
 * there), courses 9101..9103, event types and lesson types prefixed {@code an_}.
 *
 * <p>Day boundaries (March 2003): UTC midnight; Europe/Moscow +03:00 (midnight = 21:00Z the day before);
 * Asia/Tehran +03:30 (20:30Z); the fixed offset +05:17 (18:43Z, not on a quarter hour: the base-table edge path).
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class AnalyticsQueryTest {
    static final long FROM = TestUserIds.ANALYTICS_QUERY.from();
    static final long TO = TestUserIds.ANALYTICS_QUERY.to();

    @BeforeEach
    void clean() {
        String range = " WHERE user_id BETWEEN " + FROM + " AND " + TO;
        sql("DELETE FROM events" + range, "DELETE FROM bookings" + range, "DELETE FROM free_lesson_registrations" + range,
                "DELETE FROM users" + range);
    }

    private static String user(long id, String firstSeen) {
        return "INSERT INTO users (user_id, first_seen_at, last_seen_at) VALUES (" + id + ", '" + firstSeen + "', '" + firstSeen + "')";
    }

    private static String event(long userId, String type, String details, String at) {
        return "INSERT INTO events (user_id, event_type, details, created_at) VALUES (" + userId + ", '" + type + "', "
                + (details == null ? "NULL" : "'" + details + "'::jsonb") + ", '" + at + "')";
    }

    private static String booking(long id, long userId, Integer course, String stream, Integer confirmed, String at) {
        return "INSERT INTO bookings (id, user_id, course_id, course_stream, confirmed, created_at) VALUES (" + id + ", " + userId
                + ", " + course + ", " + (stream == null ? "NULL" : "'" + stream + "'") + ", " + confirmed + ", '" + at + "')";
    }

    private static void seedTimeSeries() {
        sql(user(8_100_001, "2003-03-09T12:00:00Z"),
                user(8_100_002, "2003-03-10T00:00:00Z"),
                user(8_100_003, "2003-03-10T23:59:59.999Z"),
                user(8_100_004, "2003-03-11T20:40:00Z"),
                user(8_100_005, "2003-03-12T20:20:00Z"),
                user(8_100_006, "2003-03-12T21:10:00Z"),
                event(8_100_001, "an_series", null, "2003-03-09T23:50:00Z"),   // E1
                event(8_100_001, "an_series", null, "2003-03-10T20:45:00Z"),   // E2
                event(8_100_002, "an_series", null, "2003-03-10T21:05:00Z"),   // E3
                event(8_100_002, "an_series", null, "2003-03-11T18:40:00Z"),   // E6: +05:17 day 03-11
                event(8_100_003, "an_series", null, "2003-03-11T18:44:00Z"),   // E7: +05:17 day 03-12, same quarter as E6
                event(8_100_003, "an_series", null, "2003-03-12T23:59:00Z"),   // E4
                event(8_100_003, "an_series", null, "2003-03-13T00:00:00Z"),   // E5
                booking(8_100_001, 8_100_001, 9101, "4th_stream", 2, "2003-03-10T20:35:00Z"),  // B1
                booking(8_100_002, 8_100_002, 9101, "4th_stream", 0, "2003-03-11T12:00:00Z")); // B2
    }

    private static List<Map<String, Object>> get(String path) {
        return get(path, null);
    }

    /** GET with tz as a query parameter (encoded by REST Assured, so "+05:17" arrives as is). */
    private static List<Map<String, Object>> get(String path, String tz) {
        var request = api();
        if (tz != null) {
            request = request.queryParam("tz", tz);
        }
        return request.get(path).then().statusCode(200).contentType("application/json").extract().jsonPath().getList("$");
    }

    /** [date, newUsers, bookings, events] rows of the daily route, as returned (newest first). */
    private static List<List<Object>> daily(String tz) {
        List<List<Object>> rows = new ArrayList<>();
        for (Map<String, Object> day : get("/api/events?type=daily&days=2&end=2003-03-12", tz)) {
            assertEquals(List.of("date", "newUsers", "bookings", "events"), List.copyOf(day.keySet()));
            rows.add(List.of(day.get("date"), day.get("newUsers"), day.get("bookings"), day.get("events")));
        }
        return rows;
    }

    private static List<List<Object>> growth(String tz) {
        List<List<Object>> rows = new ArrayList<>();
        for (Map<String, Object> day : get("/api/user-growth?days=2&end=2003-03-12", tz)) {
            assertEquals(List.of("date", "totalUsers", "newUsers"), List.copyOf(day.keySet()));
            rows.add(List.of(day.get("date"), day.get("totalUsers"), day.get("newUsers")));
        }
        return rows;
    }

    @Test
    void dailyStatsPerDayInUtcAndInOtherZones() {
        seedTimeSeries();
        assertEquals(List.of(List.of("2003-03-12", 2, 0, 1), List.of("2003-03-11", 1, 1, 2), List.of("2003-03-10", 2, 1, 2)),
                daily(null), "UTC, newest first");
        assertEquals(daily(null), daily("UTC"));
        assertEquals(List.of(List.of("2003-03-12", 1, 0, 0), List.of("2003-03-11", 2, 1, 3), List.of("2003-03-10", 1, 1, 2)),
                daily("Europe/Moscow"));
        assertEquals(List.of(List.of("2003-03-12", 2, 0, 0), List.of("2003-03-11", 1, 2, 4), List.of("2003-03-10", 1, 0, 1)),
                daily("Asia/Tehran"), "a half-hour zone");
        assertEquals(List.of(List.of("2003-03-12", 1, 0, 1), List.of("2003-03-11", 1, 2, 3), List.of("2003-03-10", 1, 0, 1)),
                daily("+05:17"), "an offset off the quarter hours splits a quarter between two days");
    }

    @Test
    void userGrowthCountsUsersUpToEachDayInUtcAndInOtherZones() {
        seedTimeSeries();
        assertEquals(List.of(List.of("2003-03-10", 3, 2), List.of("2003-03-11", 4, 1), List.of("2003-03-12", 6, 2)),
                growth(null), "UTC, oldest first; user 1 was seen before the window");
        assertEquals(List.of(List.of("2003-03-10", 2, 1), List.of("2003-03-11", 4, 2), List.of("2003-03-12", 5, 1)),
                growth("Europe/Moscow"));
        assertEquals(List.of(List.of("2003-03-10", 2, 1), List.of("2003-03-11", 3, 1), List.of("2003-03-12", 5, 2)),
                growth("Asia/Tehran"));
        assertEquals(List.of(List.of("2003-03-10", 2, 1), List.of("2003-03-11", 3, 1), List.of("2003-03-12", 4, 1)),
                growth("+05:17"));
    }

    @Test
    void rollupsFollowUpdatesAndDeletes() {
        seedTimeSeries();
        // an earlier sighting moves user 4's first day; an event moves to another day; a booking is deleted
        sql("UPDATE users SET first_seen_at = '2003-03-10T01:00:00Z' WHERE user_id = 8100004",
                "UPDATE events SET created_at = '2003-03-11T01:00:00Z' WHERE user_id = 8100003 AND created_at = '2003-03-12T23:59:00Z'",
                "DELETE FROM bookings WHERE id = 8100002");
        assertEquals(List.of(List.of("2003-03-12", 2, 0, 0), List.of("2003-03-11", 0, 0, 3), List.of("2003-03-10", 3, 1, 2)),
                daily(null));
        assertEquals(List.of(List.of("2003-03-10", 4, 3), List.of("2003-03-11", 4, 0), List.of("2003-03-12", 6, 2)), growth(null));
    }

    @Test
    void windowEndsTodayInTheZoneByDefault() {
        for (String tz : List.of("UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago")) {
            List<Map<String, Object>> days = get("/api/events?type=daily&tz=" + tz);
            assertEquals(31, days.size(), "days + 1 rows");
            assertEquals(LocalDate.now(ZoneId.of(tz)).toString(), days.get(0).get("date"));
            assertEquals(LocalDate.now(ZoneId.of(tz)).minusDays(30).toString(), days.get(30).get("date"));
            List<Map<String, Object>> growth = get("/api/user-growth?days=7&tz=" + tz);
            assertEquals(8, growth.size());
            assertEquals(LocalDate.now(ZoneId.of(tz)).toString(), growth.get(7).get("date"));
        }
    }

    @Test
    void badParametersAreProblemsNamingThem() {
        for (String path : List.of("/api/events?type=daily&tz=Mars/Olympus", "/api/user-growth?tz=Nowhere")) {
            api().get(path).then().statusCode(400).contentType("application/problem+json").body("error", containsString("tz"));
        }
        for (String days : List.of("0", "366", "abc")) {
            api().get("/api/events?type=daily&days=" + days).then().statusCode(400).body("error", containsString("days must be between 1 and 365"));
            api().get("/api/user-growth?days=" + days).then().statusCode(400).body("error", containsString("days must be between 1 and 365"));
        }
        api().get("/api/user-growth?end=yesterday").then().statusCode(400).body("error", containsString("end"));
        for (String path : List.of("/api/user-growth?end=0001-01-01", "/api/events?type=daily&end=9999-12-31")) {
            api().get(path).then().statusCode(400).contentType("application/problem+json").body("error", containsString("end must lie between"));
        }
        for (String tz : List.of("-18:00", "%2B15:00", "UTC-13")) {
            api().urlEncodingEnabled(false).get("/api/stats?tz=" + tz).then().statusCode(400).body("error", containsString("tz"));
            api().urlEncodingEnabled(false).get("/api/user-growth?tz=" + tz).then().statusCode(400).body("error", containsString("tz"));
        }
        api().urlEncodingEnabled(false).get("/api/stats?tz=%2B14:00").then().statusCode(200);
    }

    @Test
    void topEventsAreTheTenMostFrequentTypesWithTiesByName() {
        List<String> inserts = new ArrayList<>();
        // far more than any other test writes, so these are the top of the whole table
        for (int i = 0; i < 3000; i++) {
            inserts.add(event(8_100_010 + i % 7, i < 1500 ? "an_top_a" : i < 2250 ? "an_top_c" : "an_top_b", null, "2004-01-01T00:00:00Z"));
        }
        sql(inserts.toArray(String[]::new));
        List<Map<String, Object>> top = get("/api/events");
        assertTrue(top.size() <= 10);
        assertEquals(Map.of("eventType", "an_top_a", "count", 1500), top.get(0));
        assertEquals(Map.of("eventType", "an_top_b", "count", 750), top.get(1), "a tie is ordered by type");
        assertEquals(Map.of("eventType", "an_top_c", "count", 750), top.get(2));
        assertEquals(get("/api/events"), get("/api/events?type=other"), "any other type is the top list too");
    }

    @Test
    void coursesAndStreamsByStatusWithNullStreamsAndNaturalOrder() {
        sql(booking(8_100_101, 8_100_101, 9102, "10th_stream", 2, "2004-01-01T00:00:00Z"),
                booking(8_100_102, 8_100_101, 9102, "3rd_stream", 0, "2004-01-01T00:00:00Z"),
                booking(8_100_103, 8_100_102, 9102, "3rd_stream", 1, "2004-01-01T00:00:00Z"),
                booking(8_100_104, 8_100_102, 9102, "mentoring", -1, "2004-01-01T00:00:00Z"),
                booking(8_100_105, 8_100_103, 9102, null, 2, "2004-01-01T00:00:00Z"),
                booking(8_100_106, 8_100_103, 9102, "3rd_stream", null, "2004-01-01T00:00:00Z"),
                booking(8_100_107, 8_100_104, 9103, "8th_stream", 2, "2004-01-01T00:00:00Z"));
        sql("UPDATE bookings SET confirmed = 2 WHERE id = 8100103"); // pending → confirmed
        List<Map<String, Object>> courses = get("/api/courses");
        assertEquals(Map.of("courseId", 9102, "courseName", "Course 9102", "total", 6, "confirmed", 3, "pending", 0, "cancelled", 1,
                "created", 1), find(courses, 9102), "status 0 is 'created'; a NULL status only in total");
        assertEquals(Map.of("courseId", 9103, "courseName", "Course 9103", "total", 1, "confirmed", 1, "pending", 0, "cancelled", 0,
                "created", 0), find(courses, 9103));
        assertTrue(courses.indexOf(find(courses, 9102)) < courses.indexOf(find(courses, 9103)));

        List<Map<String, Object>> streams = new ArrayList<>();
        for (Map<String, Object> row : get("/api/course-streams")) {
            if (Integer.valueOf(9102).equals(row.get("courseId"))) {
                streams.add(row);
            }
        }
        assertEquals(List.of("3-й поток", "10-й поток", "Менторинг", "Без потока"), streams.stream().map(r -> r.get("courseStream")).toList(),
                "natural order, NULL stream last");
        assertEquals(java.util.Arrays.asList("3rd_stream", "10th_stream", "mentoring", null),
                streams.stream().map(r -> r.get("courseStreamRaw")).toList());
        Map<String, Object> third = streams.get(0);
        assertEquals(List.of(3, 1, 0, 0, 1), List.of(third.get("total"), third.get("confirmed"), third.get("pending"),
                third.get("cancelled"), third.get("created")));
        assertEquals(List.of("courseId", "courseName", "courseStream", "courseStreamRaw", "total", "confirmed", "pending", "cancelled",
                "created"), List.copyOf(third.keySet()));
    }

    private static Map<String, Object> find(List<Map<String, Object>> rows, int courseId) {
        return rows.stream().filter(r -> Integer.valueOf(courseId).equals(r.get("courseId"))).findFirst().orElseThrow();
    }

    @Test
    void lessonConversionCountsDistinctUsersNotClicks() {
        String click = "{\"lesson_type\": \"an_lesson_x\"}";
        sql("INSERT INTO free_lesson_registrations (user_id, email, lesson_type, lesson_date) VALUES "
                        + "(8100201, 'a@x.io', 'an_lesson_x', '2004-01-01'), (8100201, 'a@x.io', 'an_lesson_x', '2004-01-08'), "
                        + "(8100202, 'b@x.io', 'an_lesson_x', '2004-01-01'), (8100203, 'c@x.io', 'an_lesson_x', '2004-01-01')",
                // user 1 clicks five times, user 2 once, user 4 (not registered) once, user 3 never
                event(8_100_201, "lesson_link_clicked", click, "2004-01-01T10:00:00Z"),
                event(8_100_201, "lesson_link_clicked", click, "2004-01-01T10:01:00Z"),
                event(8_100_201, "lesson_link_clicked", click, "2004-01-01T10:02:00Z"),
                event(8_100_201, "lesson_link_clicked", click, "2004-01-01T10:03:00Z"),
                event(8_100_201, "lesson_link_clicked", click, "2004-01-01T10:04:00Z"),
                event(8_100_202, "lesson_link_clicked", click, "2004-01-01T10:00:00Z"),
                event(8_100_204, "lesson_link_clicked", click, "2004-01-01T10:00:00Z"),
                event(8_100_204, "lesson_link_clicked", "{\"lesson_type\": \"an_lesson_clicks_only\"}", "2004-01-01T10:00:00Z"));
        List<Map<String, Object>> rows = get("/api/free-lessons-conversion");
        assertEquals(Map.of("lesson_type", "an_lesson_x", "registrations", 3, "attendances", 2, "conversion_rate", 66.7f,
                "unregistered_clickers", 1), lesson(rows, "an_lesson_x"));
        assertEquals(Map.of("lesson_type", "an_lesson_clicks_only", "registrations", 0, "attendances", 0, "conversion_rate", 0.0f,
                "unregistered_clickers", 1), lesson(rows, "an_lesson_clicks_only"));
        // user 2's only click goes away: no longer an attendee
        sql("DELETE FROM events WHERE user_id = 8100202");
        assertEquals(1, lesson(get("/api/free-lessons-conversion"), "an_lesson_x").get("attendances"));
    }

    private static Map<String, Object> lesson(List<Map<String, Object>> rows, String type) {
        return rows.stream().filter(r -> type.equals(r.get("lesson_type"))).findFirst().orElseThrow();
    }

    @Test
    void consumerWritesReachTheRollups() {
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        // a plausible time (records before 2013 are dead-lettered by the contract), on a day no other test uses
        Instant at = Instant.parse("2014-03-20T10:00:00Z");
        publish(Topics.BOT_EVENTS, new BotEvent(1, "an-evt-1", 8_100_301L, "an_consumed", details, at, null));
        publish(Topics.BOT_EVENTS, new BotEvent(1, "an-evt-2", 8_100_302L, "an_consumed", details, at.plusSeconds(60), null));
        publish(Topics.BOOKINGS, new BookingChanged(1, 8_100_301L, 8_100_301L, null, null, 9101, "5th_stream", 1, at, null, 0, at));
        await().atMost(Duration.ofSeconds(20)).until(() -> List.of(List.of("2014-03-20", 2, 1, 2)).equals(
                dailyOf("/api/events?type=daily&days=1&end=2014-03-21").subList(1, 2)));
        assertEquals(1, (int) get("/api/course-streams").stream()
                .filter(r -> Integer.valueOf(9101).equals(r.get("courseId")) && "5th_stream".equals(r.get("courseStreamRaw")))
                .findFirst().orElseThrow().get("pending"));
    }

    private static List<List<Object>> dailyOf(String path) {
        return get(path).stream().map(d -> List.of(d.get("date"), d.get("newUsers"), d.get("bookings"), d.get("events"))).toList();
    }

    private static void publish(String topic, RegistryRecord record) {
        KafkaTestClient.produce(KafkaResource.bootstrapServers(), topic, record.key(), RecordJson.write(record));
    }
}
