package dev.tgregistry.users.adoption;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real service adopts databases the bot has been writing: every legacy variant migrates, keeps every row
 * and backfills users; the backfill can be re-run (in small chunks) without changing anything or overwriting
 * what the live pipeline wrote.
 */
class LegacyAdoptionIT {

    @ParameterizedTest(name = "old users table: {0}, events name columns: {1}, legacy zone {2}")
    @CsvSource({
            "false, false, UTC",
            "false, true,  UTC",
            "true,  false, UTC",
            "true,  true,  Europe/Moscow",
    })
    void adoptsLegacyDatabase(boolean oldUsers, boolean eventNameColumns, String legacyZone) throws Exception {
        String database = "legacy_" + (oldUsers ? "u" : "n") + (eventNameColumns ? "c" : "n");
        ServiceProcess.freshDatabase(database);
        try (Connection db = ServiceProcess.connect(database)) {
            run(db, fixture("bot_tables"));
            if (oldUsers) {
                run(db, fixture("old_users"));
            }
            if (eventNameColumns) {
                run(db, fixture("event_name_columns"));
            }
            Map<String, Long> before = counts(db);

            try (ServiceProcess service = ServiceProcess.start(database, database, Map.of("APP_LEGACY_TIME_ZONE", legacyZone))) {
                service.awaitReady(Duration.ofSeconds(90));
                assertTrue(service.log().contains("users backfill"), "backfill progress is logged");
                assertEquals(before, counts(db), "every legacy row is kept");

                // event-only user: names from events.details
                assertEquals("event_only", text(db, "SELECT username FROM users WHERE user_id = 1004"));
                assertEquals("Ева", text(db, "SELECT first_name FROM users WHERE user_id = 1004"));
                assertTrue(service.get("/api/users/1004").body().contains("\"display_name\":\"@event_only\""));
                // registration-only user: first_seen_at is the earliest registration
                assertEquals(OffsetDateTime.parse("2025-06-01T09:00:00Z").toInstant(), time(db, "SELECT first_seen_at FROM users WHERE user_id = 1002"));
                assertEquals("maria_jones", text(db, "SELECT username FROM users WHERE user_id = 1002"));
                // empty username in bookings, a real one in registrations
                assertEquals("dana_real", text(db, "SELECT username FROM users WHERE user_id = 1003"));
                // nameless user still exists, served as "User <id>"
                assertNull(text(db, "SELECT username FROM users WHERE user_id = 1005"));
                assertTrue(service.get("/api/users/1005").body().contains("\"display_name\":\"User 1005\""));
                // first_seen_at is the earliest sighting anywhere (an event before the booking)
                assertEquals(OffsetDateTime.parse("2025-08-20T10:00:00Z").toInstant(), time(db, "SELECT first_seen_at FROM users WHERE user_id = 1001"));
                assertEquals(40L, number(db, "SELECT count(*) FROM users WHERE user_id BETWEEN 2001 AND 2040"));

                if (oldUsers) {
                    String expected = legacyZone.equals("UTC") ? "2025-01-01T12:00:00Z" : "2025-01-01T09:00:00Z";
                    assertEquals(OffsetDateTime.parse(expected).toInstant(), time(db, "SELECT first_seen_at FROM users WHERE user_id = 1006"),
                            "timestamps without zone are read in " + legacyZone);
                    assertEquals("en", text(db, "SELECT language_code FROM users WHERE user_id = 1006"));
                    assertEquals("alex_old", text(db, "SELECT username FROM users WHERE user_id = 1001"),
                            "the old table's names (2025-10-02) are newer than the booking's copy (2025-09-01)");
                } else {
                    assertEquals("alex_smith", text(db, "SELECT username FROM users WHERE user_id = 1001"));
                }

                // the live pipeline has since seen 1004 under a new name; a re-run must not undo that
                run(db, "UPDATE users SET username = 'live_name', snapshot_at = now() WHERE user_id = 1004");
                String usersBefore = usersDigest(db);
                run(db, "CALL registry_backfill_users(7)"); // small chunks: many commits
                assertEquals(usersBefore, usersDigest(db), "re-running the backfill changes nothing");
                assertEquals("live_name", text(db, "SELECT username FROM users WHERE user_id = 1004"));
            }
        }
    }

    static String fixture(String name) throws IOException {
        try (InputStream sql = LegacyAdoptionIT.class.getResourceAsStream("/legacy/" + name + ".sql")) {
            return new String(sql.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void run(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }

    static Map<String, Long> counts(Connection db) throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        for (String table : new String[]{"bookings", "events", "free_lesson_registrations"}) {
            counts.put(table, number(db, "SELECT count(*) FROM " + table));
        }
        return counts;
    }

    /** Every column of every user except updated_at, as one string. */
    static String usersDigest(Connection db) throws SQLException {
        return text(db, "SELECT string_agg(row_to_json(u)::jsonb - 'updated_at' #>> '{}', E'\\n' ORDER BY user_id) FROM users u");
    }

    static String text(Connection db, String query) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(query)) {
            return row.next() ? row.getString(1) : null;
        }
    }

    static long number(Connection db, String query) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    static java.time.Instant time(Connection db, String query) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(query)) {
            row.next();
            return row.getObject(1, OffsetDateTime.class).toInstant();
        }
    }
}
