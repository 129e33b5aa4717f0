package dev.tgregistry.users.audience;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
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
import static dev.tgregistry.users.TestSupport.sql;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/stream-students} as an audience list: keyset pages over booking and viewer rows as one list
 * (created_at desc, user id) without gaps or repeats while bookings and views are added between pages, the page
 * shape, the CSV export (RFC 4180 escaping, every row) and cursor checks. User and booking ids
 * 7_350_000_000..7_350_999_999; streams {@code 8th_stream} (the test profile's viewer campaign: course 1 since
 * 2025-12-18) and {@code ss_csv_stream}. CSV exports read 7 rows per statement in tests.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class StreamStudentsAudienceTest {
    @Inject
    KeysetCursor cursors;

    static final long FROM = 7_350_000_000L;
    static final long TO = 7_350_999_999L;
    static final String CAMPAIGN = "8th_stream";
    static final String CSV_STREAM = "ss_csv_stream";

    @BeforeEach
    void clean() {
        String range = " WHERE user_id BETWEEN " + FROM + " AND " + TO;
        sql("DELETE FROM events" + range, "DELETE FROM bookings" + range, "DELETE FROM users" + range);
    }

    private static String user(long id, String username, String firstName) {
        return "INSERT INTO users (user_id, username, first_name) VALUES (" + id + ", " + lit(username) + ", " + lit(firstName) + ")";
    }

    private static String lit(String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }

    /** A booking; {@code createdAt} is a SQL expression. */
    private static String booking(long id, long userId, String stream, int confirmed, String createdAt) {
        return "INSERT INTO bookings (id, user_id, course_id, course_stream, confirmed, created_at) VALUES (" + id + ", " + userId
                + ", 1, " + lit(stream) + ", " + confirmed + ", " + createdAt + ")";
    }

    /** A view of course 1's program; {@code createdAt} is a SQL expression. */
    private static String view(long userId, String createdAt) {
        return "INSERT INTO events (user_id, event_type, details, created_at) VALUES (" + userId
                + ", 'view_program', '{\"course_id\": 1, \"username\": \"v" + userId + "\"}'::jsonb, " + createdAt + ")";
    }

    private static String at(String instant) {
        return "'" + instant + "'::timestamptz";
    }

    private static JsonPath page(String stream, int limit, String cursor) {
        var request = api().queryParam("stream", stream).queryParam("limit", limit);
        if (cursor != null) {
            request = request.queryParam("cursor", cursor);
        }
        return request.get("/api/stream-students").then().statusCode(200).contentType("application/json").extract().jsonPath();
    }

    private static List<Long> mine(List<Map<String, Object>> students) {
        return students.stream().map(s -> Long.parseLong((String) s.get("user_id"))).filter(id -> id >= FROM && id <= TO).toList();
    }

    @Test
    void pagesCoverBookingsAndViewersOnceWhileBookingsAndViewsAreAdded() {
        long b1 = FROM + 1, b2 = FROM + 2, b3 = FROM + 3, v4 = FROM + 4, v5 = FROM + 5, b6 = FROM + 6, v7 = FROM + 7;
        long b12 = FROM + 12, b14 = FROM + 14, v15 = FROM + 15;
        List<String> seed = new ArrayList<>(List.of(
                booking(b1, b1, CAMPAIGN, 2, at("2026-03-01T10:00:00Z")),
                booking(b2, b2, CAMPAIGN, 0, at("2026-02-01T10:00:00Z")),
                booking(FROM + 102, b2, CAMPAIGN, 2, at("2026-01-01T10:00:00Z")),  // older: b2's row is the newer one
                booking(b3, b3, CAMPAIGN, -1, at("2026-02-01T10:00:00Z")),          // ties with b2 and v4: by user id
                view(v4, at("2026-02-01T10:00:00Z")), view(v4, at("2026-02-10T10:00:00Z")),
                view(v5, at("2026-01-20T10:00:00Z")), view(v5, at("2025-11-01T10:00:00Z")),  // before the campaign
                booking(b6, b6, CAMPAIGN, 2, at("2026-01-15T10:00:00Z")), view(b6, at("2026-01-30T10:00:00Z")),
                view(v7, at("2026-01-10T10:00:00Z")),
                booking(b14, b14, CAMPAIGN, 1, "NULL"),                               // no created_at: last
                view(v15, at("2025-12-01T10:00:00Z"))));                             // only before the campaign: absent
        for (long id = FROM + 8; id <= FROM + 13; id++) {
            seed.add(user(id, "ss_" + id, "Student " + id));
            seed.add(booking(id, id, CAMPAIGN, 2, at("2025-12-" + String.format("%02d", 16 - (id - FROM)) + "T10:00:00Z")));
        }
        sql(seed.toArray(String[]::new));
        List<Long> expected = new ArrayList<>(List.of(b1, b2, b3, v4, v5, b6, v7));
        for (long id = FROM + 8; id <= FROM + 13; id++) {
            expected.add(id);
        }

        JsonPath first = page(CAMPAIGN, 3, null);
        long total = first.getLong("total");
        List<Map<String, Object>> walked = new ArrayList<>(first.getList("students"));
        String cursor = first.getString("next_cursor");
        List<Long> addedBehind = new ArrayList<>();
        int round = 0;
        while (cursor != null) {
            round++;
            long behind = FROM + 700 + round;
            sql(booking(FROM + 500 + round, FROM + 500 + round, CAMPAIGN, 2, "now()"),  // a new booking: after the walk's start
                    view(FROM + 600 + round, "now()"),                                       // a new viewer: likewise
                    view(v4, "now()"),                                                        // a listed viewer views again
                    booking(FROM + 200 + round, b12, CAMPAIGN, 0, "now()"),                   // b12 (not sent yet) books again
                    booking(FROM + 300 + round, v7, CAMPAIGN, 2, "now()"),                    // viewer v7 books the stream
                    booking(behind, behind, CAMPAIGN, 2, at("2020-01-01T00:00:00Z") + " - interval '" + round + " minutes'"));
            addedBehind.add(behind);  // dated before the walk's start and behind its cursor: part of the walk
            JsonPath next = page(CAMPAIGN, 3, cursor);
            assertEquals(CAMPAIGN, next.getString("stream"));
            List<Map<String, Object>> students = next.getList("students");
            assertTrue(students.size() <= 3);
            cursor = next.getString("next_cursor");
            assertTrue(cursor == null || students.size() == 3, "only the last page is short");
            walked.addAll(students);
        }
        assertTrue(round >= 5, "the walk spans several pages: " + round);
        expected.addAll(addedBehind);
        expected.add(b14);

        List<Long> got = mine(walked);
        assertEquals(expected, got, "every row once, in created_at desc, user id order, bookings and viewers merged");
        List<Long> all = walked.stream().map(s -> Long.parseLong((String) s.get("user_id"))).toList();
        assertEquals(new HashSet<>(all).size(), all.size(), "no repeats");
        assertEquals(total, all.size() - addedBehind.size(), "total: every row of the list when the walk started");

        Map<Long, Map<String, Object>> byId = new java.util.HashMap<>();
        walked.forEach(s -> byId.put(Long.parseLong((String) s.get("user_id")), s));
        assertEquals(0, byId.get(b2).get("confirmed"), "the newest booking in the stream");
        assertEquals("viewed", byId.get(v4).get("source"));
        assertEquals("2026-02-01T10:00:00.000Z", byId.get(v4).get("created_at"), "first view");
        assertEquals(2, byId.get(v4).get("events_count"), "views until the walk's start");
        assertEquals(1, byId.get(v5).get("events_count"), "views since the campaign's start");
        assertEquals("booking", byId.get(b6).get("source"), "booked: a booking row, not a viewer");
        assertEquals("viewed", byId.get(v7).get("source"), "booked after the walk started: still a viewer in this walk");
        assertEquals(2, byId.get(b12).get("confirmed"), "a booking made after the walk's start does not move b12");
        assertNull(byId.get(b14).get("created_at"));
        assertEquals("Student " + (FROM + 8), byId.get(FROM + 8).get("first_name"));

        // a new walk sees what was added: b12's new booking moves it to the top, v7 is a booking row now
        List<Map<String, Object>> fresh = api().queryParam("stream", CAMPAIGN).get("/api/stream-students").then().statusCode(200)
                .body("next_cursor", equalTo(null)).extract().jsonPath().getList("students");
        Map<String, Object> v7Now = fresh.stream().filter(s -> s.get("user_id").equals(String.valueOf(v7))).findFirst().orElseThrow();
        assertEquals("booking", v7Now.get("source"));
        assertTrue(mine(fresh).containsAll(List.of(FROM + 501, FROM + 601)));
        assertEquals(new HashSet<>(mine(fresh)).size(), mine(fresh).size());
    }

    @Test
    void pageShapeKeepsTheOriginalMembersAndAddsTheCursor() {
        sql(user(FROM + 21, "shape_user", "Shape"),
                booking(FROM + 21, FROM + 21, CSV_STREAM, 2, at("2026-01-02T00:00:00Z")),
                booking(FROM + 22, FROM + 22, CSV_STREAM, 0, at("2026-01-01T00:00:00Z")),
                booking(FROM + 23, FROM + 23, CSV_STREAM, 1, at("2025-01-01T00:00:00Z")));
        Map<String, Object> first = api().queryParam("stream", CSV_STREAM).queryParam("limit", 2).get("/api/stream-students")
                .then().statusCode(200).extract().jsonPath().getMap("$");
        assertEquals(Set.of("stream", "total", "students", "next_cursor"), first.keySet());
        assertEquals(CSV_STREAM, first.get("stream"));
        assertEquals(3, first.get("total"), "the whole list, not the page");
        assertInstanceOf(String.class, first.get("next_cursor"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> students = (List<Map<String, Object>>) first.get("students");
        assertEquals(2, students.size());
        assertEquals(Set.of("user_id", "username", "first_name", "display_name", "confirmed", "created_at", "last_activity",
                "events_count", "source", "is_active", "reachable_by_dm"), students.get(0).keySet());
        assertEquals(String.valueOf(FROM + 21), students.get(0).get("user_id"), "user ids are strings");
        assertEquals("@shape_user", students.get(0).get("display_name"));
        assertEquals(0, students.get(0).get("events_count"));

        JsonPath last = page(CSV_STREAM, 2, (String) first.get("next_cursor"));
        assertEquals(3, last.getInt("total"));
        assertEquals(List.of(FROM + 23), mine(last.getList("students")));
        assertTrue(last.getMap("$").containsKey("next_cursor"), "the member is there, null, on the last page");
        assertNull(last.get("next_cursor"));

        // the original dashboard's call (no limit): the whole list at once, next_cursor null
        api().queryParam("stream", CSV_STREAM).get("/api/stream-students").then().statusCode(200)
                .body("total", equalTo(3)).body("students.size()", equalTo(3)).body("next_cursor", equalTo(null));
        api().queryParam("stream", CSV_STREAM).queryParam("limit", 0).get("/api/stream-students").then().statusCode(400)
                .contentType("application/problem+json").body("error", containsString("limit"));
        api().queryParam("stream", CSV_STREAM).queryParam("limit", 10_001).get("/api/stream-students").then().statusCode(400)
                .body("error", containsString("limit"));
    }

    @Test
    void aCursorOfAnotherListOrStreamOrTamperedIsRefused() {
        sql(booking(FROM + 31, FROM + 31, CSV_STREAM, 2, at("2026-01-02T00:00:00Z")),
                booking(FROM + 32, FROM + 32, CSV_STREAM, 2, at("2026-01-01T00:00:00Z")));
        String valid = page(CSV_STREAM, 1, null).getString("next_cursor");
        assertNotNull(valid);
        assertEquals(List.of(FROM + 32), mine(page(CSV_STREAM, 1, valid).getList("students")));
        for (String cursor : List.of("bm90LWEtY3Vyc29y", "%%%",
                cursors.encode("by-stream:" + CSV_STREAM, FROM + 31),
                cursors.encode("stream-students:" + CAMPAIGN, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", FROM + 31),
                cursors.encode("stream-students:" + CSV_STREAM, "yesterday", "2026-01-01T00:00:00Z", FROM + 31),
                cursors.encode("stream-students:" + CSV_STREAM, "", "2026-01-01T00:00:00Z", FROM + 31),
                cursors.encode("stream-students:" + CSV_STREAM, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "x"))) {
            api().queryParam("stream", CSV_STREAM).queryParam("cursor", cursor).get("/api/stream-students").then()
                    .statusCode(400).contentType("application/problem+json").body("error", containsString("cursor"));
        }
    }

    @Test
    void csvHoldsEveryRowEscapedInTheListsOrder() {
        List<String> seed = new ArrayList<>(List.of(
                user(FROM + 41, "comma_user", "Smith, John"), booking(FROM + 41, FROM + 41, CSV_STREAM, 2, at("2026-01-10T10:00:00Z")),
                user(FROM + 42, "quote_user", "Say \"hi\""), booking(FROM + 42, FROM + 42, CSV_STREAM, 0, at("2026-01-09T10:00:00Z")),
                user(FROM + 43, null, "line one\nline two"), booking(FROM + 43, FROM + 43, CSV_STREAM, -1, at("2026-01-08T10:00:00Z")),
                user(FROM + 44, "persian_user", "سارا محمدی"), booking(FROM + 44, FROM + 44, CSV_STREAM, 2, at("2026-01-07T10:00:00Z")),
                "INSERT INTO events (user_id, event_type, created_at) VALUES (" + (FROM + 44) + ", 'start_command', "
                        + at("2026-01-07T11:00:00Z") + ")"));
        for (long id = FROM + 50; id < FROM + 62; id++) {
            seed.add(booking(id, id, CSV_STREAM, 2, at("2025-06-01T10:00:00Z")));  // one created_at: by user id
        }
        sql(seed.toArray(String[]::new));
        for (boolean viaAccept : List.of(true, false)) {
            var request = viaAccept ? api().header("Accept", "text/csv") : api().queryParam("format", "csv");
            byte[] bytes = request.queryParam("stream", CSV_STREAM).get("/api/stream-students").then().statusCode(200)
                    .contentType(containsString("text/csv")).header("Content-Disposition", containsString("attachment"))
                    .extract().asByteArray();
            assertFalse(bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB, "no byte-order mark");
            String body = new String(bytes, StandardCharsets.UTF_8);
            assertTrue(body.startsWith("user_id,username,first_name,display_name,confirmed,created_at,last_activity,"
                    + "events_count,source,is_active,reachable_by_dm\r\n"), body);
            assertTrue(body.contains((FROM + 41) + ",comma_user,\"Smith, John\",\"'@comma_user\",2,2026-01-10T10:00:00.000Z,,0,booking,true,false\r\n"), body);
            assertTrue(body.contains((FROM + 42) + ",quote_user,\"Say \"\"hi\"\"\",\"'@quote_user\",0,"), body);
            assertTrue(body.contains((FROM + 43) + ",,\"line one\nline two\",\"line one\nline two\",-1,"), body);
            assertTrue(body.contains((FROM + 44) + ",persian_user,سارا محمدی,\"'@persian_user\",2,2026-01-07T10:00:00.000Z,"
                    + "2026-01-07T11:00:00.000Z,1,booking,true,false\r\n"), body);
            List<List<String>> records = AudienceQueryTest.parseCsv(body);
            List<String> ids = records.subList(1, records.size()).stream().map(r -> r.get(0)).toList();
            List<String> expected = new ArrayList<>(List.of(String.valueOf(FROM + 41), String.valueOf(FROM + 42),
                    String.valueOf(FROM + 43), String.valueOf(FROM + 44)));
            for (long id = FROM + 50; id < FROM + 62; id++) {
                expected.add(String.valueOf(id));
            }
            assertEquals(expected, ids, "every row (16, over 3 statements of 7) once, in the list's order");
            assertEquals(List.of(String.valueOf(FROM + 43), "", "line one\nline two", "line one\nline two", "-1",
                    "2026-01-08T10:00:00.000Z", "", "0", "booking", "true", "false"), records.get(3));
        }
    }

    @Test
    void campaignCsvIsTheJsonListWithItsViewers() {
        sql(booking(FROM + 71, FROM + 71, CAMPAIGN, 2, at("2026-01-03T00:00:00Z")),
                view(FROM + 72, at("2026-01-02T00:00:00Z")),
                booking(FROM + 73, FROM + 73, CAMPAIGN, 1, at("2026-01-01T00:00:00Z")));
        List<Map<String, Object>> json = api().queryParam("stream", CAMPAIGN).get("/api/stream-students").then().statusCode(200)
                .extract().jsonPath().getList("students");
        String body = api().queryParam("stream", CAMPAIGN).queryParam("format", "csv").get("/api/stream-students").then()
                .statusCode(200).extract().asString();
        List<List<String>> records = AudienceQueryTest.parseCsv(body);
        assertEquals(json.stream().map(s -> s.get("user_id")).toList(),
                records.subList(1, records.size()).stream().map(r -> r.get(0)).toList(), "the same rows in the same order");
        assertEquals(json.stream().map(s -> s.get("source")).toList(),
                records.subList(1, records.size()).stream().map(r -> r.get(8)).toList());
        assertTrue(body.contains((FROM + 72) + ",v" + (FROM + 72) + ",,\"'@v" + (FROM + 72) + "\",,2026-01-02T00:00:00.000Z,"
                + "2026-01-02T00:00:00.000Z,1,viewed,true,false\r\n"), body);

        // refused before any CSV: a problem naming the parameter
        api().header("Accept", "text/csv").queryParam("stream", "nope").get("/api/stream-students").then().statusCode(400)
                .contentType(containsString("application/problem+json")).body("error", containsString("Invalid stream 'nope'"));
        api().header("Accept", "text/csv").get("/api/stream-students").then().statusCode(400)
                .contentType(containsString("application/problem+json")).body("error", containsString("Stream parameter is required"));
    }
}
