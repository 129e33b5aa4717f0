package dev.tgregistry.users.adoption;

import dev.tgregistry.localstack.PostgresResource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.tgregistry.users.adoption.BotDatabase.fixture;
import static dev.tgregistry.users.adoption.BotDatabase.number;
import static dev.tgregistry.users.adoption.BotDatabase.run;
import static dev.tgregistry.users.adoption.BotDatabase.text;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each adoption step stopped dead half-way (kill -9 of user-service while it copies the bot's rows or finishes; the
 * undo's connection terminated between two chunks) and run again ends as if it had never been interrupted.
 * Users 700001..730000.
 */
class AdoptionCrashIT {
    private static final int USERS = 30_000;
    private static final long FIRST = 700_001;
    private static final Map<String, String> SLOW_COPY = Map.of("APP_ADOPTION_BATCH_SIZE", "100", "APP_ADOPTION_QUIET_PERIOD", "1h");

    @Test
    void adoptionKilledWhileCopyingCompletesOnRestartAndAnInterruptedUndoCompletesWhenRunAgain() throws Exception {
        String database = "crash_adopt";
        ServiceProcess.freshDatabase(database);
        try (Connection bot = ServiceProcess.connect(database)) {
            run(bot, fixture("profile_bot"));
            run(bot, "INSERT INTO users (user_id, username, first_name, is_active, created_at, updated_at)"
                    + " SELECT " + (FIRST - 1) + " + i, 'bulk_' || i, 'Bulk', true, '2025-01-01 10:00', '2025-01-02 10:00'"
                    + " FROM generate_series(1, " + USERS + ") AS i");
        }
        try (Connection registry = ServiceProcess.connectRegistry(database); Connection bot = ServiceProcess.connect(database)) {
            ServiceProcess first = ServiceProcess.start("crash-adopt-1", database, SLOW_COPY).awaitReady(Duration.ofSeconds(120));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                    number(registry, "SELECT COALESCE(max(backfilled_up_to), 0) FROM adopted_tables") > FIRST + 1000);
            run(bot, "UPDATE users SET username = 'renamed_mid_copy', updated_at = now() WHERE user_id = " + (FIRST + USERS - 1));
            first.kill();
            first.close();
            assertEquals(0L, number(registry, "SELECT count(*) FROM adopted_tables WHERE backfilled_at IS NOT NULL"),
                    "killed while copying");

            try (ServiceProcess second = ServiceProcess.start("crash-adopt-2", database, SLOW_COPY).awaitReady(Duration.ofSeconds(120))) {
                await().atMost(Duration.ofSeconds(120)).until(() ->
                        number(registry, "SELECT count(*) FROM adopted_tables WHERE backfilled_at IS NOT NULL") == 1);
                await().atMost(Duration.ofSeconds(30)).until(() -> number(registry, "SELECT count(*) FROM legacy_writes") == 0);
                assertEquals(USERS, number(registry, "SELECT count(*) FROM users WHERE user_id BETWEEN " + FIRST + " AND " + (FIRST + USERS - 1)));
                assertEquals("renamed_mid_copy", text(registry, "SELECT username FROM users WHERE user_id = " + (FIRST + USERS - 1)));
                assertEquals("bulk_1", text(registry, "SELECT username FROM users WHERE user_id = " + FIRST));
                assertEquals(1L, number(registry, "SELECT count(*) FROM users WHERE user_id = " + FIRST
                        + " AND first_seen_at = timestamptz '2025-01-01 10:00:00+00'"), "created_at is the first sighting");
                assertEquals(1L, number(registry, "SELECT count(*) FROM users WHERE user_id = " + FIRST
                        + " AND name_since IS NOT NULL"), "the current name's first sighting is kept with it");
                assertEquals(0L, number(registry, "SELECT count(*) FROM user_name_history WHERE user_id = " + FIRST), "no former name");
                assertEquals(1L, number(bot, "SELECT count(*) FROM pg_trigger WHERE tgname = 'registry_capture'"));
            }

            // what the registry learned since (newer names for every bulk user), then an undo cut off between chunks
            run(registry, "UPDATE users SET username = 'learned_' || user_id, snapshot_at = now() WHERE user_id >= " + FIRST);
            Connection undo = ServiceProcess.connect(database);
            long pid = number(undo, "SELECT pg_backend_pid()");
            CompletableFuture<Void> undoing = CompletableFuture.runAsync(() -> {
                try {
                    run(undo, "CALL registry.undo_adoption(500)");
                } catch (java.sql.SQLException terminated) {
                    // expected: the connection is terminated half-way
                }
            });
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                    number(bot, "SELECT count(*) FROM users WHERE username LIKE 'learned_%'") > 0);
            run(bot, "SELECT pg_terminate_backend(" + pid + ")");
            undoing.get(30, TimeUnit.SECONDS);
            undo.close();
            long written = number(bot, "SELECT count(*) FROM users WHERE username LIKE 'learned_%'");
            assertTrue(written > 0 && written < USERS, "stopped half-way: " + written);

            assertTrue(undoScript(database).contains("undone: the registry's tables are kept in registry_undone_"));
            assertEquals(USERS, number(bot, "SELECT count(*) FROM users WHERE username LIKE 'learned_%'"));
            assertEquals(0L, number(bot, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'registry%'"));
            assertTrue(undoScript(database).contains("nothing to undo"), "a second run changes nothing");
        }
    }

    @Test
    void finishKilledMidWayIsAllOrNothingAndCompletesWhenRunAgain() throws Exception {
        String database = "crash_finish";
        ServiceProcess.freshDatabase(database);
        try (Connection bot = ServiceProcess.connect(database)) {
            run(bot, fixture("hello_bot_users"));
        }
        try (Connection registry = ServiceProcess.connectRegistry(database); Connection bot = ServiceProcess.connect(database)) {
            ServiceProcess first = ServiceProcess.start("crash-finish-1", database, Map.of()).awaitReady(Duration.ofSeconds(120));
            await().atMost(Duration.ofSeconds(30)).until(() -> first.get("/api/users/4001").statusCode() == 200);
            CompletableFuture.runAsync(() -> first.post("/api/admin/adoption/finish?force=true"));
            first.kill();
            first.close();
            long triggers = number(bot, "SELECT count(*) FROM pg_trigger WHERE tgname = 'registry_capture'");
            long finished = number(registry, "SELECT count(*) FROM adopted_tables WHERE finished_at IS NOT NULL");
            assertTrue((triggers == 1 && finished == 0) || (triggers == 0 && finished == 1), triggers + " / " + finished);
            try (ServiceProcess second = ServiceProcess.start("crash-finish-2", database, Map.of()).awaitReady(Duration.ofSeconds(120))) {
                assertEquals(200, second.post("/api/admin/adoption/finish?force=true").statusCode());
                assertEquals(0L, number(bot, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'registry%'"));
                assertEquals(1L, number(registry, "SELECT count(*) FROM adopted_tables WHERE finished_at IS NOT NULL"));
                assertTrue(number(registry, "SELECT count(*) FROM audit_log WHERE action = 'adoption'") >= 1, "finish is audited");
            }
        }
    }

    /** ops/undo-adoption.sh against the test database; its output. */
    private static String undoScript(String database) throws Exception {
        ProcessBuilder script = new ProcessBuilder("bash", Path.of("..", "ops", "undo-adoption.sh").toString())
                .redirectErrorStream(true);
        script.environment().putAll(Map.of("PGHOST", "localhost", "PGPORT", String.valueOf(PostgresResource.port()),
                "PGUSER", PostgresResource.username(), "PGPASSWORD", PostgresResource.password(), "PGDATABASE", database));
        Process process = script.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
