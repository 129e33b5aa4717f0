package dev.tgregistry.users.adoption;

import dev.tgregistry.localstack.LocalKafka;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Kafka outage does not take user-service's read API out of service: readiness (and liveness) stay UP and the API
 * answers while the broker is gone. The control case turns the Kafka readiness checks back on and sees readiness
 * drop, so the first test would notice a regression. Each test runs its own broker (the shared one stays up).
 */
class KafkaOutageReadinessIT {

    @Test
    void readinessAndTheReadApiSurviveAKafkaOutage() {
        ServiceProcess.freshDatabase("kafka_outage");
        LocalKafka kafka = LocalKafka.start(0, null);
        try (ServiceProcess service = ServiceProcess.start("kafka-outage", "kafka_outage",
                Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()))) {
            service.awaitReady(Duration.ofSeconds(90));
            kafka.close();

            Instant until = Instant.now().plusSeconds(30);
            while (Instant.now().isBefore(until)) {
                HttpResponse<String> ready = service.management("/q/health/ready");
                assertEquals(200, ready.statusCode(), "readiness during the outage: " + ready.body());
                assertTrue(ready.body().contains("\"UP\""), ready.body());
                assertEquals(200, service.management("/q/health/live").statusCode(), "liveness during the outage");
                HttpResponse<String> stats = service.get("/api/stats");
                assertEquals(200, stats.statusCode(), "read API during the outage: " + stats.body());
                sleep(1_000);
            }
        } finally {
            kafka.close();
        }
    }

    @Test
    void controlWithKafkaReadinessChecksReadinessDrops() {
        ServiceProcess.freshDatabase("kafka_outage_control");
        LocalKafka kafka = LocalKafka.start(0, null);
        Map<String, String> env = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "MP_MESSAGING_CONNECTOR_SMALLRYE_KAFKA_HEALTH_READINESS_ENABLED", "true"));
        try (ServiceProcess service = ServiceProcess.start("kafka-outage-control", "kafka_outage_control", env)) {
            service.awaitReady(Duration.ofSeconds(90));
            kafka.close();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> service.management("/q/health/ready").statusCode() == 503);
        } finally {
            kafka.close();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
