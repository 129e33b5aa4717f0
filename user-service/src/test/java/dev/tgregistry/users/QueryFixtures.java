package dev.tgregistry.users;

import io.restassured.response.ValidatableResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.tgregistry.users.TestSupport.sql;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Seed helpers and assertions shared by the query API tests. Every test class owns a range of user ids and
 * removes whatever lives in that range (users, bookings, events, registrations, name history) before each test.
 */
public final class QueryFixtures {
    private QueryFixtures() {
    }

    /** Deletes every row of the user-id range {@code [from, to]} from all user-keyed tables. */
    public static void cleanRange(long from, long to) {
        String range = " WHERE user_id BETWEEN " + from + " AND " + to;
        sql("DELETE FROM events" + range,
                "DELETE FROM bookings" + range,
                "DELETE FROM free_lesson_registrations" + range,
                "DELETE FROM user_name_history" + range,
                "DELETE FROM users" + range);
    }

    /** A SQL string literal, or NULL. */
    public static String lit(String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }

    /** INSERT of a users row; {@code lastSeen} is a SQL expression (e.g. {@code now() - interval '1 day'}). */
    public static String user(long id, String username, String firstName, String lastName, String lastSeen) {
        return user(id, username, firstName, lastName, lastSeen, true);
    }

    public static String user(long id, String username, String firstName, String lastName, String lastSeen, boolean active) {
        return "INSERT INTO users (user_id, username, first_name, last_name, first_seen_at, last_seen_at, is_active) VALUES ("
                + id + ", " + lit(username) + ", " + lit(firstName) + ", " + lit(lastName) + ", "
                + "LEAST(" + lastSeen + ", now()), " + lastSeen + ", " + active + ")";
    }

    /** INSERT of a bookings row; {@code createdAt} is a SQL expression. Returns the SQL. */
    public static String booking(long id, long userId, String stream, int confirmed, String username, String firstName, String createdAt) {
        return "INSERT INTO bookings (id, user_id, username, first_name, course_id, confirmed, created_at, course_stream) VALUES ("
                + id + ", " + userId + ", " + lit(username) + ", " + lit(firstName) + ", 1, " + confirmed + ", "
                + createdAt + ", " + lit(stream) + ")";
    }

    /** INSERT of a free-lesson registration. */
    public static String registration(long id, long userId, String email, String lessonDate, String registeredAt) {
        return "INSERT INTO free_lesson_registrations (id, user_id, email, lesson_type, lesson_date, registered_at) VALUES ("
                + id + ", " + userId + ", " + lit(email) + ", 'cursor_lesson', " + lit(lessonDate) + "::date, " + registeredAt + ")";
    }

    /** INSERT of one event. */
    public static String event(long userId, String type, String detailsJson, String createdAt) {
        return "INSERT INTO events (user_id, event_type, details, created_at) VALUES ("
                + userId + ", " + lit(type) + ", " + lit(detailsJson) + "::jsonb, " + createdAt + ")";
    }

    /**
     * Asserts an RFC 9457 problem: the status, the media type, the members, and that both {@code error} and
     * {@code detail} carry every fragment of the message.
     */
    public static void assertProblem(ValidatableResponse response, int status, String... fragments) {
        response.statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("title", notNullValue())
                .body("type", notNullValue());
        for (String fragment : fragments) {
            response.body("error", containsString(fragment)).body("detail", containsString(fragment));
        }
    }

    /** The items of a JSON array response. */
    public static List<Map<String, Object>> items(ValidatableResponse response) {
        return response.extract().jsonPath().getList("$");
    }

    /** The items whose user_id (a string) falls in {@code [from, to]}, in response order. */
    public static List<Map<String, Object>> mine(List<Map<String, Object>> items, long from, long to) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (Map<String, Object> item : items) {
            long id = Long.parseLong((String) item.get("user_id"));
            if (id >= from && id <= to) {
                result.add(item);
            }
        }
        return result;
    }

    /** The user ids of items, as strings, in order. */
    public static List<String> ids(List<Map<String, Object>> items) {
        return items.stream().map(item -> (String) item.get("user_id")).collect(Collectors.toList());
    }

    public static List<String> idStrings(long... ids) {
        List<String> result = new ArrayList<>();
        for (long id : ids) {
            result.add(Long.toString(id));
        }
        return result;
    }
}
