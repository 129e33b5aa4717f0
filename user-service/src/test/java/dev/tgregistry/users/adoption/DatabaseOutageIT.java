package dev.tgregistry.users.adoption;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient;
import dev.tgregistry.localstack.KafkaTestClient.TopicWatch;
import dev.tgregistry.localstack.LocalPostgres;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.Topics;
import dev.tgregistry.model.UserSeen;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database outage is not a poison record: the consumer holds the batch, retries, and applies it once PostgreSQL is
 * back, however long that takes; liveness stays UP meanwhile, and a stop during the retries is prompt and loses nothing.
 */
class DatabaseOutageIT {

    @Test
    void recordsConsumedWhileThePostgresIsDownAreAppliedWhenItReturns() throws Exception {
        int pgPort = ServiceProcess.freePort();
        Path dataDir = Files.createDirectories(Path.of("target", "outage-pg-" + System.nanoTime()));
        LocalPostgres postgres = LocalPostgres.start(pgPort, dataDir, "users");
        try (ServiceProcess service = ServiceProcess.start("outage", pgPort, "users", Map.of("APP_WRITE_RETRY_MAX_BACKOFF", "1s"));
             TopicWatch dlq = new TopicWatch(KafkaResource.bootstrapServers(), Topics.deadLetterOf(Topics.USER_SEEN))) {
            service.awaitReady(Duration.ofSeconds(90));
            postgres.close();

            // records keep arriving during an outage longer than any "stuck consumer" deadline would allow
            for (long id = 990_001; id <= 990_003; id++) {
                sight(id);
                Thread.sleep(6_000);
                assertEquals(200, service.management("/q/health/live").statusCode(), "liveness stays UP: a restart brings no database back");
            }

            postgres = LocalPostgres.start(pgPort, dataDir, "users");
            await().atMost(Duration.ofSeconds(60)).until(() -> service.get("/api/users/990003").statusCode() == 200
                    && service.get("/api/users/990001").statusCode() == 200 && service.get("/api/users/990002").statusCode() == 200);
            assertEquals(List.of(), dlq.drain(Duration.ofSeconds(1)), "nothing was dead-lettered");
        } finally {
            postgres.close();
        }
    }

    @Test
    void aStopWhileRetryingIsPromptAndTheRecordIsAppliedAfterTheRestart() throws Exception {
        int pgPort = ServiceProcess.freePort();
        Path dataDir = Files.createDirectories(Path.of("target", "outage-pg-" + System.nanoTime()));
        LocalPostgres postgres = LocalPostgres.start(pgPort, dataDir, "users");
        try {
            ServiceProcess service = ServiceProcess.start("stop-while-retrying", pgPort, "users", Map.of());
            service.awaitReady(Duration.ofSeconds(90));
            postgres.close();
            sight(990_101);
            await().atMost(Duration.ofSeconds(30)).until(() -> service.log().contains("retrying"));
            Thread.sleep(2_000); // well into a back-off pause

            Duration stop = service.terminate(Duration.ofSeconds(30));
            assertTrue(stop.compareTo(Duration.ofSeconds(10)) < 0, "stopped in " + stop + ":\n" + service.log());

            postgres = LocalPostgres.start(pgPort, dataDir, "users");
            try (ServiceProcess restarted = ServiceProcess.start("after-stop", pgPort, "users", Map.of())) {
                restarted.awaitReady(Duration.ofSeconds(90));
                await().atMost(Duration.ofSeconds(30)).until(() -> restarted.get("/api/users/990101").statusCode() == 200);
            }
        } finally {
            postgres.close();
        }
    }

    private static void sight(long id) {
        UserSeen sighting = UserSeen.of(new TelegramUser(id, false, "outage_" + id, "Out", null, null, null),
                Instant.parse("2026-04-01T10:00:00Z"), null, null);
        KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.USER_SEEN, sighting.key(), RecordJson.write(sighting));
    }
}
