package dev.tgregistry.users.audience;

import dev.tgregistry.users.TestUserIds;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Audience lists (non-course, by-stream, lead scoring): keyset pages without gaps or repeats while users are added
 * between pages, and their CSV exports (RFC 4180 escaping, UTF-8, all rows). User ids 8_200_000..8_299_999; stream
 * {@code an_aud_stream}. CSV exports read 7 rows per statement in tests ({@code %test.app.audience.csv-page-size}).
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class AudienceQueryTest {
    @Inject
    KeysetCursor cursors;

    static final long FROM = TestUserIds.AUDIENCE_QUERY.from();
    static final long TO = TestUserIds.AUDIENCE_QUERY.to();
    static final String STREAM = "an_aud_stream";

    @BeforeEach
    void clean() {
        String range = " WHERE user_id BETWEEN " + FROM + " AND " + TO;
        sql("DELETE FROM events" + range, "DELETE FROM bookings" + range, "DELETE FROM free_lesson_registrations" + range,
                "DELETE FROM users" + range);
    }

    private static String user(long id, String username, String firstName) {
        return "INSERT INTO users (user_id, username, first_name) VALUES (" + id + ", " + lit(username) + ", " + lit(firstName) + ")";
    }

    private static String lit(String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }

    private static String confirmedBooking(long userId, String stream) {
        return "INSERT INTO bookings (id, user_id, course_id, course_stream, confirmed) VALUES (" + userId + ", " + userId + ", 1, "
                + lit(stream) + ", 2)";
    }

    /** Pages through {@code path} (already holding its filters) from {@code cursor}, running {@code between} after each page. */
    private static List<Map<String, Object>> pageThrough(String path, String cursor, int limit, long stopAbove, Runnable between) {
        List<Map<String, Object>> all = new ArrayList<>();
        String next = cursor;
        for (int pages = 0; pages < 10_000; pages++) {
            ExtractableResponse<Response> page = api().get(path + (path.contains("?") ? "&" : "?") + "limit=" + limit
                    + (next == null ? "" : "&cursor=" + next)).then().statusCode(200).contentType("application/json").extract();
            List<Map<String, Object>> items = page.jsonPath().getList("$");
            assertTrue(items.size() <= limit, "a page holds at most limit items");
            all.addAll(items);
            next = page.header(AudiencePage.NEXT_CURSOR_HEADER);
            if (next == null) {
                assertNull(page.header("Link"));
                return all;
            }
            assertEquals(limit, items.size(), "only the last page is short");
            assertTrue(page.header("Link").contains("cursor=" + next) && page.header("Link").endsWith("rel=\"next\""));
            if (!items.isEmpty() && Long.parseLong((String) items.get(items.size() - 1).get("user_id")) > stopAbove) {
                return all;
            }
            between.run();
        }
        throw new AssertionError("no last page");
    }

    private static List<Long> ids(List<Map<String, Object>> items) {
        return items.stream().map(item -> Long.parseLong((String) item.get("user_id"))).toList();
    }

    private static List<Long> mine(List<Long> ids) {
        return ids.stream().filter(id -> id >= FROM && id <= TO).toList();
    }

    @Test
    void nonCoursePagesCoverEveryoneOnceWhileUsersAreAdded() {
        List<String> seed = new ArrayList<>();
        List<Long> expected = new ArrayList<>();
        for (long id = 8_200_010; id < 8_200_060; id += 2) {
            seed.add(user(id, "aud_" + id, null));
            if (id % 10 == 0) {
                seed.add(confirmedBooking(id, "5th_stream")); // a student: not in the audience
            } else {
                expected.add(id);
            }
        }
        sql(seed.toArray(String[]::new));
        long[] added = {8_200_061};
        long[] behind = {8_200_001};
        // between pages: a new user ahead of the cursor (must appear once) and one behind it (must not repeat anything)
        List<Map<String, Object>> items = pageThrough("/api/users/non-course", cursors.encode("non-course", FROM), 4, TO, () -> {
            sql(user(added[0], null, null), user(behind[0], null, null));
            expected.add(added[0]);
            added[0] += 2;
            behind[0] += 1;
        });
        List<Long> got = mine(ids(items));
        assertEquals(new HashSet<>(got).size(), got.size(), "no repeats");
        assertEquals(got.stream().sorted().toList(), got, "by user id");
        List<Long> ahead = got.stream().filter(id -> id > 8_200_009).toList();
        assertEquals(expected.stream().sorted().toList(), ahead, "every user present before the walk, and every one added ahead of it");

        // the original's unpaginated call: first page (default 1,000) and the cursor header
        api().get("/api/users/non-course").then().statusCode(200).contentType("application/json");
        api().get("/api/users/non-course?cursor=bm90LWEtY3Vyc29y").then().statusCode(400)
                .contentType("application/problem+json").body("error", containsString("cursor"));
        api().get("/api/users/non-course?cursor=" + cursors.encode("by-stream:5th_stream", 1)).then().statusCode(400)
                .body("error", containsString("cursor"));
    }

    @Test
    void byStreamPagesCoverEveryStudentOnceWhileStudentsAreAdded() {
        List<String> seed = new ArrayList<>();
        List<Long> expected = new ArrayList<>();
        for (long id = 8_200_100; id < 8_200_123; id++) {
            seed.add(user(id, "st_" + id, null));
            seed.add(confirmedBooking(id, STREAM));
            expected.add(id);
        }
        sql(seed.toArray(String[]::new));
        long[] added = {8_200_150};
        List<Map<String, Object>> items = pageThrough("/api/users/by-stream?stream=" + STREAM, null, 5, TO, () -> {
            sql(user(added[0], null, null), confirmedBooking(added[0], STREAM));
            expected.add(added[0]);
            added[0]++;
        });
        assertEquals(expected, ids(items), "every student once, by id, the ones added while paging included");
        assertTrue(items.stream().allMatch(item -> STREAM.equals(item.get("course_stream"))));
    }

    @Test
    void leadPagesAreTheWholeRankingOnceWhileRegistrantsAreAdded() {
        List<String> seed = new ArrayList<>();
        for (long id = 8_200_200; id < 8_200_212; id++) {
            seed.add(user(id, "lead_" + id, null));
            seed.add("INSERT INTO free_lesson_registrations (user_id, email, lesson_type) VALUES (" + id + ", 'l" + id + "@x.io', 'an_l')");
            for (int e = 0; e < (id - 8_200_200) % 4 * 3; e++) {  // 0, 3, 6 or 9 events: ties on total_events
                seed.add("INSERT INTO events (user_id, event_type, created_at) VALUES (" + id + ", 'view_program', now() - interval '"
                        + (e + (id % 3)) + " hours')");
            }
        }
        sql(seed.toArray(String[]::new));
        List<Long> before = ids(api().get("/api/user-activity?limit=1000").then().statusCode(200).extract().jsonPath().getList("$"));
        long[] added = {8_200_290};
        List<Map<String, Object>> items = pageThrough("/api/user-activity", null, 3, Long.MAX_VALUE, () -> {
            sql(user(added[0], null, null),
                    "INSERT INTO free_lesson_registrations (user_id, email, lesson_type) VALUES (" + added[0] + ", 'n@x.io', 'an_l')");
            added[0]++;
        });
        List<Long> got = ids(items);
        assertEquals(new HashSet<>(got).size(), got.size(), "no repeats");
        List<Long> withoutAdded = got.stream().filter(id -> id < 8_200_290 || id > 8_200_299).toList();
        assertEquals(before, withoutAdded, "the same ranking as one big page, nobody skipped");
        // an added registrant is a cold lead: it is returned when its place in the ranking is still ahead of the cursor
        // (which depends on other classes' cold leads), never twice, never in the middle of the earlier ranking
        assertTrue(got.size() - withoutAdded.size() <= added[0] - 8_200_290, "only the registrants added while paging");
        for (int i = 1; i < items.size(); i++) {
            long a = ((Number) items.get(i - 1).get("total_events")).longValue();
            long b = ((Number) items.get(i).get("total_events")).longValue();
            assertTrue(a >= b, "ranked by total_events");
        }
    }

    // ---- CSV ----

    /** RFC 4180 records of a CSV body. */
    static List<List<String>> parseCsv(String body) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < body.length() && body.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < body.length() && body.charAt(i + 1) == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        assertTrue(record.isEmpty() && field.length() == 0, "the body ends with CRLF");
        return records;
    }

    private static byte[] csv(String path, boolean viaAccept) {
        var request = api();
        if (viaAccept) {
            request = request.header("Accept", "text/csv");
        }
        String url = viaAccept ? path : path + (path.contains("?") ? "&" : "?") + "format=csv";
        return request.get(url).then().statusCode(200).contentType(containsString("text/csv"))
                .header("Content-Disposition", containsString("attachment")).extract().asByteArray();
    }

    @Test
    void nonCourseCsvEscapesAndHoldsEveryRow() {
        sql(user(8_200_301, "comma_user", "Smith, John"),
                user(8_200_302, "quote_user", "Say \"hi\""),
                user(8_200_303, null, "line one\nline two\r\nthree"),
                user(8_200_304, "persian_user", "سارا محمدی"),
                user(8_200_305, "plain", "Plain"),
                // more rows than one CSV statement holds in %test, whatever other classes have inserted
                user(8_200_306, "plain_6", "Plain"), user(8_200_307, "plain_7", "Plain"),
                user(8_200_308, "plain_8", "Plain"), user(8_200_309, "plain_9", "Plain"));
        for (boolean viaAccept : List.of(true, false)) {
            byte[] bytes = csv("/api/users/non-course", viaAccept);
            assertFalse(bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB, "no byte-order mark");
            String body = new String(bytes, StandardCharsets.UTF_8);
            assertTrue(body.contains("8200301,comma_user,\"Smith, John\",\"'@comma_user\",true,false\r\n"), body);
            assertTrue(body.contains("8200302,quote_user,\"Say \"\"hi\"\"\",\"'@quote_user\",true,false\r\n"));
            assertTrue(body.contains("8200303,,\"line one\nline two\r\nthree\",\"line one\nline two\r\nthree\",true,false\r\n"));
            assertTrue(body.contains("8200304,persian_user,سارا محمدی,\"'@persian_user\",true,false\r\n"));
            List<List<String>> records = parseCsv(body);
            assertEquals(List.of("user_id", "username", "first_name", "display_name", "is_active", "reachable_by_dm"), records.get(0));
            List<String> ids = records.subList(1, records.size()).stream().map(r -> r.get(0)).toList();
            assertEquals(new HashSet<>(ids).size(), ids.size(), "no repeats across the export's statements");
            long audience = ((Number) scalar("SELECT count(*) FROM users u WHERE NOT EXISTS "
                    + "(SELECT 1 FROM bookings b WHERE b.user_id = u.user_id AND b.confirmed = 2)")).longValue();
            assertTrue(audience > 7, "the export spans several statements");
            assertEquals(audience, ids.size(), "every row, not a page");
            assertEquals(List.of("8200303", "", "line one\nline two\r\nthree", "line one\nline two\r\nthree", "true", "false"),
                    records.stream().filter(r -> r.get(0).equals("8200303")).findFirst().orElseThrow());
        }
        // without an Accept preference the answer is JSON; an unknown format is a problem naming it
        api().get("/api/users/non-course").then().statusCode(200).contentType("application/json");
        api().get("/api/users/non-course?format=xml").then().statusCode(400).contentType("application/problem+json")
                .body("error", containsString("format"));
    }

    @Test
    void byStreamAndLeadCsvHoldEveryRow() {
        List<String> seed = new ArrayList<>();
        for (long id = 8_200_400; id < 8_200_420; id++) {
            seed.add(user(id, null, "Студент, " + id));
            seed.add(confirmedBooking(id, STREAM));
            seed.add("INSERT INTO free_lesson_registrations (user_id, email, lesson_type) VALUES (" + id + ", 'c" + id + "@x.io', 'an_l')");
        }
        sql(seed.toArray(String[]::new));
        List<List<String>> students = parseCsv(new String(csv("/api/users/by-stream?stream=" + STREAM, false), StandardCharsets.UTF_8));
        assertEquals(List.of("user_id", "username", "first_name", "display_name", "course_stream", "is_active", "reachable_by_dm"),
                students.get(0));
        assertEquals(21, students.size(), "header + 20 students over 3 statements");
        assertEquals(List.of("8200400", "", "Студент, 8200400", "Студент, 8200400", STREAM, "true", "false"), students.get(1));
        // refused before any CSV: a problem naming the parameter
        String refused = api().header("Accept", "text/csv").get("/api/users/by-stream?stream=nope").then().statusCode(400)
                .contentType(containsString("application/problem+json")).extract().asString();
        assertTrue(refused.contains("\"error\":\"Invalid stream 'nope'"), refused);
        assertTrue(api().get("/api/user-activity?format=csv&days=0").then().statusCode(400)
                .contentType(containsString("application/problem+json")).extract().asString().contains("days must be between 1 and 90"));

        List<List<String>> leads = parseCsv(new String(csv("/api/user-activity", true), StandardCharsets.UTF_8));
        assertEquals(List.of("user_id", "username", "first_name", "display_name", "email", "total_events", "active_days",
                "last_activity", "lead_score", "is_active", "reachable_by_dm"), leads.get(0));
        long registrants = ((Number) scalar("SELECT count(DISTINCT user_id) FROM free_lesson_registrations")).longValue();
        assertEquals(registrants, leads.size() - 1, "every registrant");
        Set<String> mine = new HashSet<>();
        leads.stream().filter(r -> r.get(0).startsWith("82004")).forEach(r -> mine.add(r.get(0)));
        assertEquals(20, mine.size());
        assertNotNull(leads.stream().filter(r -> r.get(0).equals("8200405")).findFirst().orElseThrow().get(4));
    }
}
