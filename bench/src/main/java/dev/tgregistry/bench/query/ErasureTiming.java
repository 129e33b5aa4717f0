package dev.tgregistry.bench.query;

import dev.tgregistry.bench.stack.Stack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 12's erasure figure (bench/README.md, "bench/run query"). Each run erases a person created for it, with an
 * id no earlier run used: erased ids keep their tombstone.
 */
final class ErasureTiming {
    static final int EVENTS = 10_000;
    private static final long ID_BASE = 97_000_000_000_000L;

    record Run(long userId, double millis, int status, long rowsLeft) {
    }

    private final Stack stack;
    private final String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    ErasureTiming(Stack stack, String baseUrl) {
        this.stack = stack;
        this.baseUrl = baseUrl;
    }

    List<Run> run(int times) throws Exception {
        List<Run> runs = new ArrayList<>();
        long first = ID_BASE + System.currentTimeMillis() / 1000 * 10;
        for (int k = 0; k < times; k++) {
            long id = first + k;
            seed(id);
            HttpRequest delete = HttpRequest.newBuilder(URI.create(baseUrl + "/api/users/" + id))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + Stack.API_KEY).DELETE().build();
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(delete, HttpResponse.BodyHandlers.ofString());
            double millis = (System.nanoTime() - start) / 1e6;
            runs.add(new Run(id, millis, response.statusCode(), rowsLeft(id)));
        }
        return runs;
    }

    private void seed(long id) throws SQLException {
        try (Connection c = stack.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO users (user_id, username, first_name, first_seen_at, last_seen_at, snapshot_at)"
                    + " VALUES (" + id + ", 'erase_me_" + id + "', 'Erase', now() - interval '30 days', now(), now())");
            st.execute("INSERT INTO user_name_history (user_id, username, first_name, first_seen_at, last_seen_at)"
                    + " VALUES (" + id + ", 'erase_me_" + id + "', 'Erase', now() - interval '30 days', now())");
            st.execute("INSERT INTO events (user_id, event_type, details, created_at) SELECT " + id
                    + ", 'view_program', '{\"course_id\": \"1\"}', now() - i * interval '1 minute' FROM generate_series(1, "
                    + EVENTS + ") i");
            st.execute("INSERT INTO bookings (user_id, username, first_name, course_id, course_stream, confirmed, created_at)"
                    + " VALUES (" + id + ", 'erase_me', 'Erase', 1, '8th_stream', 2, now())");
            st.execute("INSERT INTO free_lesson_registrations (user_id, username, first_name, email, lesson_type, registered_at)"
                    + " VALUES (" + id + ", 'erase_me', 'Erase', 'erase_me@example.org', 'an_lesson', now())");
        }
    }

    private long rowsLeft(long id) throws SQLException {
        try (Connection c = stack.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM events WHERE user_id = " + id + ")"
                     + " + (SELECT count(*) FROM users WHERE user_id = " + id + ")"
                     + " + (SELECT count(*) FROM user_name_history WHERE user_id = " + id + ")"
                     + " + (SELECT count(*) FROM bookings WHERE user_id = " + id + ")"
                     + " + (SELECT count(*) FROM free_lesson_registrations WHERE user_id = " + id + ")")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
