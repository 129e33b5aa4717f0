package dev.tgregistry.users.adoption;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.Topics;
import dev.tgregistry.model.UserSeen;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.tgregistry.users.adoption.BotDatabase.fixture;
import static dev.tgregistry.users.adoption.BotDatabase.number;
import static dev.tgregistry.users.adoption.BotDatabase.run;
import static dev.tgregistry.users.adoption.BotDatabase.text;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three bots of SEED-BOTS.md keep running, unchanged, on a database user-service adopted: their tables keep
 * their shapes, their statements keep working and what they write reaches the registry; profile changes made
 * through the API reach the profile bot's row; finish is refused while the bot writes, then accepted; undo writes the
 * registry's knowledge back into the bot's tables and the bot's statements work on. Users 5001.., 6001.., 1001...
 */
class BotAdoptionIT {
    private static final Map<String, String> ENV = Map.of("APP_ADOPTION_QUIET_PERIOD", "4s");
    private static final Duration SOON = Duration.ofSeconds(30);

    // the profile bot's statements (SEED-BOTS.md §2), as its code issues them
    static final String PROFILE_UPSERT = "INSERT INTO users (user_id, first_name, last_name, username, language_code, is_active)"
            + " VALUES (?, ?, ?, ?, ?, TRUE) ON CONFLICT (user_id) DO UPDATE SET first_name = EXCLUDED.first_name,"
            + " last_name = EXCLUDED.last_name, username = EXCLUDED.username, language_code = EXCLUDED.language_code,"
            + " is_active = TRUE, updated_at = now()";
    static final String PROFILE_READ = "SELECT onboarding_completed, real_name, nickname, study_track, grade_band, grade_year,"
            + " phone FROM users WHERE user_id = ?";
    static final String PROFILE_ONBOARD = "UPDATE users SET onboarding_completed = TRUE, real_name = ?, nickname = ?,"
            + " study_track = ?, grade_band = ?, grade_year = ?, phone = ?, last_activity = now(), updated_at = now()"
            + " WHERE user_id = ?";
    // the hello bot's (SEED-BOTS.md §3), as SQLAlchemy emits them
    static final String HELLO_SELECT = "SELECT users.id, users.telegram_id, users.username, users.first_name, users.last_name,"
            + " users.is_active, users.language_code, users.created_at, users.updated_at FROM users WHERE users.telegram_id = ?";
    static final String HELLO_INSERT = "INSERT INTO users (telegram_id, username, first_name, last_name, language_code,"
            + " is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, now(), now()) RETURNING users.id";
    static final String HELLO_UPDATE = "UPDATE users SET username = ?, first_name = ?, last_name = ?, language_code = ?,"
            + " updated_at = now() WHERE users.id = ?";
    static final List<String> HELLO_ADMIN = List.of(
            "SELECT * FROM users WHERE is_active = true ORDER BY created_at DESC OFFSET 0 LIMIT 10",
            "SELECT count(users.id) FROM users WHERE users.is_active = true",
            "SELECT * FROM users WHERE created_at > now() - interval '24 hours'");

    @Test
    void theProfileBotKeepsRunningAndReadsWhatTheApiWrites() throws Exception {
        String database = "profile_bot";
        ServiceProcess.freshDatabase(database);
        String shapeBefore;
        try (Connection bot = ServiceProcess.connect(database)) {
            run(bot, fixture("profile_bot"));
            shapeBefore = shape(bot, "users");
        }
        try (ServiceProcess service = ServiceProcess.start("profile-bot", database, ENV).awaitReady(Duration.ofSeconds(120));
             Connection bot = ServiceProcess.connect(database)) {
            // the rows that existed are copied, profile values as the bot wrote them
            await().atMost(SOON).until(() -> service.get("/api/users/5001/profile").statusCode() == 200);
            String sara = service.get("/api/users/5001/profile").body();
            assertTrue(sara.contains("\"grade_year_text\":\"دهم\"") && sara.contains("\"grade_year\":null"), sara);
            assertTrue(sara.contains("\"nickname\":\"Sara\""), sara);
            assertTrue(service.get("/api/users/5002/profile").body().contains("\"grade_year\":11"));
            assertTrue(service.get("/api/users/5001").body().contains("\"username\":\"sara_a\""));

            // the bot's statements, unchanged
            update(bot, PROFILE_UPSERT, 5004L, "Neda", "Sadeghi", "neda_s", "fa");
            update(bot, PROFILE_UPSERT, 5001L, "سارا", "احمدی", "sara_new", "fa");
            update(bot, PROFILE_ONBOARD, "ندا صادقی", "Neda", "انسانی", "۱۰-۱۲", "یازدهم", "+989350000000", 5004L);
            assertEquals(List.of("t", "ندا صادقی", "Neda", "انسانی", "۱۰-۱۲", "یازدهم", "+989350000000"), row(bot, PROFILE_READ, 5004L));
            await().atMost(SOON).until(() -> service.get("/api/users/5001").body().contains("\"username\":\"sara_new\""));
            await().atMost(SOON).until(() -> service.get("/api/users/5004/profile").body().contains("\"grade_year_text\":\"یازدهم\""));
            // two writes of the bot in a row, applied a moment later: the second one wins
            update(bot, PROFILE_ONBOARD, "ندا صادقی", "Neda", "انسانی", "۱۰-۱۲", "یازدهم", "+989350000001", 5004L);
            update(bot, PROFILE_ONBOARD, "ندا صادقی", "Neda", "انسانی", "۱۰-۱۲", "دوازدهم", "+989350000002", 5004L);
            await().atMost(SOON).until(() -> service.get("/api/users/5004/profile").body().contains("\"grade_year_text\":\"دوازدهم\""));
            assertTrue(service.get("/api/users/5004/profile").body().contains("+989350000002"));

            // the API writes the bot's own value types (grade_year as text), and the bot reads them back
            HttpResponse<String> patched = service.patch("/api/users/5002/profile",
                    "{\"grade_year\": \"دوازدهم\", \"study_track\": \"ریاضی\"}");
            assertEquals(200, patched.statusCode(), patched.body());
            assertEquals(List.of("t", "رضا کریمی", "Reza", "ریاضی", "۱۰-۱۲", "دوازدهم", ""), row(bot, PROFILE_READ, 5002L));
            // a sighting from Telegram changes names in the registry, never the bot's profile columns
            sighting(5002L, "reza_tg");
            await().atMost(SOON).until(() -> service.get("/api/users/5002").body().contains("\"username\":\"reza_tg\""));
            assertEquals("دوازدهم", text(bot, "SELECT grade_year FROM users WHERE user_id = 5002"));

            String status = service.get("/api/admin/adoption").body();
            assertTrue(status.contains("\"bot_table\":\"public.users\"") && status.contains("\"shape\":\"profile_bot_users\""), status);
            assertFalse(status.contains("\"legacy_writes\":0"), status);
            assertTrue(service.management("/q/metrics").body().contains("registry_adoption_legacy_writes_total{table=\"public.users\""));

            // finish: refused while the bot still writes its table, accepted once it has stopped for the quiet period
            update(bot, PROFILE_UPSERT, 5003L, "Ivan", null, "ivan", "ru");
            HttpResponse<String> refused = service.post("/api/admin/adoption/finish");
            assertEquals(409, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("public.users"), refused.body());
            await().atMost(SOON).pollInterval(Duration.ofSeconds(1))
                    .until(() -> service.post("/api/admin/adoption/finish").statusCode() == 200);
            assertEquals(0L, number(bot, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'registry%'"), "compatibility layer gone");
            assertTrue(service.get("/api/admin/adoption").body().contains("\"finished_at\":\""));
            assertEquals(shapeBefore, shape(bot, "users"), "the bot's table kept its shape throughout");
            update(bot, PROFILE_UPSERT, 5003L, "Ivan", null, "ivan", "ru");
        }
    }

    @Test
    void undoWritesTheRegistrysNewestNamesAndProfilesIntoTheProfileBotsTable() throws Exception {
        String database = "profile_bot_undo";
        ServiceProcess.freshDatabase(database);
        try (Connection bot = ServiceProcess.connect(database)) {
            run(bot, fixture("profile_bot"));
        }
        try (ServiceProcess service = ServiceProcess.start("profile-bot-undo", database, ENV).awaitReady(Duration.ofSeconds(120))) {
            await().atMost(SOON).until(() -> service.get("/api/users/5003").statusCode() == 200);
            sighting(5003L, "ivan_newest");
            sighting(5010L, "only_in_registry");
            await().atMost(SOON).until(() -> service.get("/api/users/5010").statusCode() == 200
                    && service.get("/api/users/5003").body().contains("ivan_newest"));
            assertEquals(200, service.patch("/api/users/5003/profile", "{\"onboarding_completed\": true, \"grade_year\": 9}").statusCode());
        }
        try (Connection bot = ServiceProcess.connect(database)) {
            // a row the bot writes while undo runs (here: dated after undo starts) is newer than the registry's copy
            run(bot, "UPDATE users SET username = 'written_during_undo', updated_at = now() + interval '1 hour' WHERE user_id = 5001");
            run(bot, "CALL registry.undo_adoption(1000)");
            assertEquals("written_during_undo", text(bot, "SELECT username FROM users WHERE user_id = 5001"));
            assertEquals("ivan_newest", text(bot, "SELECT username FROM users WHERE user_id = 5003"));
            assertEquals("9", text(bot, "SELECT grade_year FROM users WHERE user_id = 5003"));
            assertEquals("only_in_registry", text(bot, "SELECT username FROM users WHERE user_id = 5010"));
            assertEquals("Sara", text(bot, "SELECT nickname FROM users WHERE user_id = 5001"), "the bot's own values stay");
            assertEquals(0L, number(bot, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'registry%'"));
            assertNotNull(text(bot, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'registry_undone_%'"), "kept aside");
            assertEquals(0L, number(bot, "SELECT count(*) FROM pg_namespace WHERE nspname = 'registry'"));
            update(bot, PROFILE_UPSERT, 5003L, "Ivan", null, "ivan", "ru");
            assertEquals(List.of("t", "", "", "", "", "9", ""), row(bot, PROFILE_READ, 5003L));
        }
    }

    @Test
    void theHelloBotsOrmStatementsKeepWorkingAndUndoRestoresItsTable() throws Exception {
        String database = "hello_bot";
        ServiceProcess.freshDatabase(database);
        String shapeBefore;
        try (Connection bot = ServiceProcess.connect(database)) {
            run(bot, fixture("hello_bot_users"));
            shapeBefore = shape(bot, "users");
        }
        try (ServiceProcess service = ServiceProcess.start("hello-bot", database, ENV).awaitReady(Duration.ofSeconds(120));
             Connection bot = ServiceProcess.connect(database)) {
            await().atMost(SOON).until(() -> service.get("/api/users/4001").body().contains("\"username\":\"hello_user\""));
            assertTrue(service.get("/api/users/4002").body().contains("\"is_active\":false"));

            long id = Long.parseLong(row(bot, HELLO_INSERT, 6001L, "new_hello", "Olga", null, "ru", true).get(0));
            assertEquals("6001", row(bot, HELLO_SELECT, 6001L).get(1));
            update(bot, HELLO_UPDATE, "olga_renamed", "Olga", null, "ru", id);
            for (String admin : HELLO_ADMIN) {
                row(bot, admin);
            }
            await().atMost(SOON).until(() -> service.get("/api/users/6001").body().contains("\"username\":\"olga_renamed\""));
            sighting(4001L, "hello_newest");
            await().atMost(SOON).until(() -> service.get("/api/users/4001").body().contains("hello_newest"));
            assertEquals(shapeBefore, shape(bot, "users"));
        }
        try (Connection bot = ServiceProcess.connect(database)) {
            run(bot, "CALL registry.undo_adoption()");
            assertEquals("hello_newest", text(bot, "SELECT username FROM users WHERE telegram_id = 4001"));
            assertEquals("olga_renamed", text(bot, "SELECT username FROM users WHERE telegram_id = 6001"));
            assertEquals(shapeBefore, shape(bot, "users"));
            row(bot, HELLO_INSERT, 6002L, "after_undo", "Pavel", null, "ru", true);
            assertEquals("after_undo", row(bot, HELLO_SELECT, 6002L).get(2));
        }
    }

    @Test
    void theCourseBotsDirectWritesReachTheRegistryAndAreCounted() throws Exception {
        String database = "course_bot_live";
        ServiceProcess.freshDatabase(database);
        String shapes;
        try (Connection bot = ServiceProcess.connect(database)) {
            run(bot, fixture("bot_tables"));
            shapes = shape(bot, "bookings") + shape(bot, "events") + shape(bot, "free_lesson_registrations");
        }
        try (ServiceProcess service = ServiceProcess.start("course-bot", database, ENV).awaitReady(Duration.ofSeconds(120));
             Connection bot = ServiceProcess.connect(database)) {
            await().atMost(SOON).until(() -> service.get("/api/users/1001/bookings").body().contains("\"course_stream\":\"4th_stream\""));
            update(bot, "INSERT INTO bookings (user_id, username, first_name, course_id, confirmed, referral_code,"
                    + " discount_percent, course_stream) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", 1101L, "new_student", "Nina", 1, 0, null, 0, "5th_stream");
            update(bot, "INSERT INTO events (user_id, event_type, details) VALUES (?, ?, ?::jsonb)", 1101L, "view_program", "{\"course_id\": 1}");
            update(bot, "INSERT INTO free_lesson_registrations (user_id, username, first_name, email, lesson_type, lesson_date)"
                    + " VALUES (?, ?, ?, ?, ?, ?::date)", 1101L, "new_student", "Nina", "nina@example.com", "cursor_lesson", "2026-12-20");
            await().atMost(SOON).until(() -> service.get("/api/users/1101/bookings").body().contains("\"course_stream\":\"5th_stream\""));
            await().atMost(SOON).until(() -> service.get("/api/users/1101").body().contains("\"username\":\"new_student\""));
            String status = service.get("/api/admin/adoption").body();
            for (String table : List.of("public.bookings", "public.events", "public.free_lesson_registrations")) {
                assertTrue(status.contains("\"bot_table\":\"" + table + "\""), status);
            }
            assertEquals(shapes, shape(bot, "bookings") + shape(bot, "events") + shape(bot, "free_lesson_registrations"),
                    "no column, default, constraint or index of the bot's tables changed (events.id stays integer)");
            // the dashboard moves the student through the API while the bot still writes: finish is refused
            HttpResponse<String> moved = service.patchJson("/api/users/1101/stream", "{\"stream\": \"6th_stream\"}");
            assertEquals(200, moved.statusCode(), moved.body());
            update(bot, "INSERT INTO events (user_id, event_type, details) VALUES (?, ?, ?::jsonb)", 1101L, "view_program", "{}");
            assertEquals(409, service.post("/api/admin/adoption/finish").statusCode());
        }
        // undo: the move made through the API is in the bot's bookings, and the bot's inserts work on
        try (Connection bot = ServiceProcess.connect(database)) {
            run(bot, "CALL registry.undo_adoption()");
            assertEquals("6th_stream", text(bot, "SELECT course_stream FROM bookings WHERE user_id = 1101"));
            assertEquals(shapes, shape(bot, "bookings") + shape(bot, "events") + shape(bot, "free_lesson_registrations"));
            update(bot, "INSERT INTO events (user_id, event_type, details) VALUES (?, ?, ?::jsonb)", 1101L, "after_undo", "{}");
        }
    }

    /** Columns (type, nullability, default), constraints and indexes of a table of the bot's schema. */
    static String shape(Connection db, String table) throws SQLException {
        return text(db, "SELECT string_agg(column_name || ' ' || data_type || ' ' || is_nullable || ' ' || COALESCE(column_default, ''),"
                + " ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '" + table + "'")
                + " | " + text(db, "SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), ', ' ORDER BY conname) FROM pg_constraint"
                + " WHERE conrelid = 'public." + table + "'::regclass")
                + " | " + text(db, "SELECT string_agg(indexdef, ', ' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public'"
                + " AND tablename = '" + table + "'");
    }

    private static void sighting(long userId, String username) {
        UserSeen seen = UserSeen.of(new TelegramUser(userId, false, username, "Tg", null, "fa", null), Instant.now(),
                new UserSeen.Source(1L, "message"), null, UserSeen.VIA_PRIVATE_CHAT);
        KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.USER_SEEN, seen.key(), RecordJson.write(seen));
    }

    private static void update(Connection db, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            bind(statement, values);
            statement.executeUpdate();
        }
    }

    /** The first row's columns as text ("" for NULL); also runs a statement with RETURNING. */
    private static List<String> row(Connection db, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            bind(statement, values);
            try (ResultSet result = statement.executeQuery()) {
                java.util.ArrayList<String> columns = new java.util.ArrayList<>();
                if (result.next()) {
                    for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                        String value = result.getString(i);
                        columns.add(value == null ? "" : value);
                    }
                }
                return columns;
            }
        }
    }

    private static void bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
    }
}
