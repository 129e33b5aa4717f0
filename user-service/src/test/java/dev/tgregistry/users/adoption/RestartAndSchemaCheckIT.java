package dev.tgregistry.users.adoption;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient;
import dev.tgregistry.model.BookingChanged;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.Topics;
import dev.tgregistry.model.UserSeen;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.tgregistry.users.adoption.BotDatabase.number;
import static dev.tgregistry.users.adoption.BotDatabase.run;
import static dev.tgregistry.users.adoption.BotDatabase.usersDigest;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Data survives restarts; a schema that does not match the code stops the service with instructions. */
class RestartAndSchemaCheckIT {

    @Test
    void usersSurviveARestartUntouched() throws Exception {
        String database = "restart_check";
        ServiceProcess.freshDatabase(database);
        Instant seen = Instant.parse("2026-03-01T10:00:00Z");
        try (ServiceProcess service = ServiceProcess.start("restart-1", database, Map.of())) {
            service.awaitReady(Duration.ofSeconds(90));
            for (long id = 880_001; id <= 880_003; id++) {
                UserSeen sighting = UserSeen.of(new TelegramUser(id, false, "keep_" + id, "Keep", "Me", "ru", true), seen, null, null);
                KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.USER_SEEN, sighting.key(), RecordJson.write(sighting));
            }
            BookingChanged booking = new BookingChanged(1, 77L, 880_001L, "keep_880001", "Keep", 1, "5th_stream", 2,
                    seen, null, 0, seen);
            KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.BOOKINGS, booking.key(), RecordJson.write(booking));
            await().atMost(Duration.ofSeconds(30)).until(() -> service.get("/api/users/880003").statusCode() == 200
                    && service.get("/api/users/880001").body().contains("5th_stream"));
        }
        String usersBefore;
        long migrationsBefore;
        try (Connection db = ServiceProcess.connectRegistry(database)) {
            usersBefore = usersDigest(db);
            migrationsBefore = number(db, "SELECT count(*) FROM flyway_schema_history");
        }

        try (ServiceProcess service = ServiceProcess.start("restart-2", database, Map.of())) {
            service.awaitReady(Duration.ofSeconds(90));
            assertTrue(service.get("/api/users/880002").body().contains("\"username\":\"keep_880002\""));
            assertTrue(service.get("/api/users/880001").body().contains("\"is_premium\":true"));
            try (Connection db = ServiceProcess.connectRegistry(database)) {
                assertEquals(usersBefore, usersDigest(db), "no user field changed across the restart");
                assertEquals(migrationsBefore, number(db, "SELECT count(*) FROM flyway_schema_history"), "nothing re-migrated");
                assertEquals(1L, number(db, "SELECT count(*) FROM bookings WHERE user_id = 880001"));
            }
        }
    }

    @Test
    void tamperedMigrationChecksumStopsStartup() throws Exception {
        String database = "tampered_check";
        ServiceProcess.freshDatabase(database);
        try (ServiceProcess service = ServiceProcess.start("tamper-1", database, Map.of())) {
            service.awaitReady(Duration.ofSeconds(90));
        }
        try (Connection db = ServiceProcess.connectRegistry(database)) {
            run(db, "UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '2'");
        }
        try (ServiceProcess service = ServiceProcess.start("tamper-2", database, Map.of())) {
            assertNotEquals(0, service.awaitExit(Duration.ofSeconds(90)), "the service must refuse to start");
            String log = service.log();
            assertTrue(log.contains("checksum mismatch"), log);
            assertTrue(log.contains("Either revert the changes to the migration, or run repair"), log);
        }
    }

    @Test
    void databaseAheadOfTheCodeStopsStartup() throws Exception {
        String database = "ahead_check";
        ServiceProcess.freshDatabase(database);
        try (ServiceProcess service = ServiceProcess.start("ahead-1", database, Map.of())) {
            service.awaitReady(Duration.ofSeconds(90));
        }
        try (Connection db = ServiceProcess.connectRegistry(database)) {
            run(db, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, "
                    + "execution_time, success) VALUES (99, '99', 'from a newer build', 'SQL', 'V99__newer.sql', 1, 'it', 1, true)");
        }
        try (ServiceProcess service = ServiceProcess.start("ahead-2", database, Map.of())) {
            assertNotEquals(0, service.awaitExit(Duration.ofSeconds(90)), "the service must refuse to start");
            assertTrue(service.log().contains("99"), service.log());
        }
    }
}
