package dev.tgregistry.users.adoption;

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

/** SQL on a test database: fixtures from {@code /legacy/}, statements, single values. */
final class BotDatabase {
    private BotDatabase() {
    }

    static String fixture(String name) throws IOException {
        try (InputStream sql = BotDatabase.class.getResourceAsStream("/legacy/" + name + ".sql")) {
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
