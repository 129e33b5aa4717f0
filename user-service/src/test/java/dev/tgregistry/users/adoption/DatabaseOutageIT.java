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

/** A database outage is not a poison record: the consumer holds the batch, retries, and applies it once PostgreSQL is back. */
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

            Instant seen = Instant.parse("2026-04-01T10:00:00Z");
            for (long id = 990_001; id <= 990_003; id++) {
                UserSeen sighting = UserSeen.of(new TelegramUser(id, false, "outage_" + id, "Out", null, null, null), seen, null, null);
                KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.USER_SEEN, sighting.key(), RecordJson.write(sighting));
            }
            Thread.sleep(5_000); // the consumer fails and retries meanwhile

            postgres = LocalPostgres.start(pgPort, dataDir, "users");
            await().atMost(Duration.ofSeconds(60)).until(() -> service.get("/api/users/990003").statusCode() == 200
                    && service.get("/api/users/990001").statusCode() == 200);
            assertEquals(List.of(), dlq.drain(Duration.ofSeconds(1)), "nothing was dead-lettered");
        } finally {
            postgres.close();
        }
    }
}
