package dev.tgregistry.users.ops;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient;
import dev.tgregistry.localstack.MonitoringMetrics;
import dev.tgregistry.localstack.MonitoringMetrics.Selector;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.Topics;
import dev.tgregistry.model.UserSeen;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static dev.tgregistry.localstack.Urls.at;
import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every metric that k8s/monitoring's alert rules and dashboard select for user-service is exported by its
 * /q/metrics, once the paths that create them ran (a consumed batch, a dead letter, an API call).
 * User ids 7_941_000_100..7_941_000_199.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class MonitoringMetricsTest {
    private static final String SERVICE = "user-service";

    @TestHTTPResource(value = "", management = true)
    URL management;

    @Test
    void everyMetricTheMonitoringSelectsIsExported() {
        UserSeen sighting = UserSeen.of(new TelegramUser(7_941_000_100L, false, "metered", "Metered", null, null, null),
                Instant.parse("2026-05-01T10:00:00Z"), null, null);
        KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.USER_SEEN, sighting.key(), RecordJson.write(sighting));
        KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.USER_SEEN, "7941000101", "{not a record");
        await().atMost(Duration.ofSeconds(20)).until(() -> scalar("SELECT 1 FROM users WHERE user_id = 7941000100") != null);
        await().atMost(Duration.ofSeconds(20)).until(() -> java.util.regex.Pattern.compile(
                "registry_records_dead_lettered_total\\{topic=\"" + java.util.regex.Pattern.quote(Topics.USER_SEEN)
                        + "\"[^}]*} [1-9]").matcher(metrics()).find());
        api().get("/api/stats").then().statusCode(200);

        List<Selector> selectors = MonitoringMetrics.selectors(MonitoringMetrics.directory()).stream()
                .filter(s -> !s.ofKubernetes()).toList();
        assertFalse(selectors.isEmpty(), "no selectors found in k8s/monitoring");
        for (Selector selector : selectors) {
            assertFalse(selector.services().isEmpty(), selector + " names no service (service=\"...\" label)");
            assertEquals(Set.of(), difference(selector.services(), Set.of("user-service", "bot-ingest")), selector + ": unknown service");
        }
        Set<String> exported = MonitoringMetrics.exportedNames(metrics());
        List<Selector> missing = selectors.stream()
                .filter(s -> s.services().contains(SERVICE) && !exported.contains(s.metric())).toList();
        assertEquals(List.of(), missing, "selected by k8s/monitoring but not exported by " + SERVICE);
        assertFalse(selectors.stream().noneMatch(s -> s.services().contains(SERVICE)), "nothing selects " + SERVICE);
    }

    private String metrics() {
        return given().get(at(management, "/metrics")).then().statusCode(200).extract().asString();
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        return a.stream().filter(x -> !b.contains(x)).collect(java.util.stream.Collectors.toSet());
    }
}
