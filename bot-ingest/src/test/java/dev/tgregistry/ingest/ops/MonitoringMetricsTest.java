package dev.tgregistry.ingest.ops;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.MonitoringMetrics;
import dev.tgregistry.localstack.MonitoringMetrics.Selector;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Set;

import static dev.tgregistry.localstack.Urls.at;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every metric that k8s/monitoring's alert rules and dashboard select for bot-ingest is exported by its /q/metrics
 * (management port) once a request was served.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
class MonitoringMetricsTest {
    private static final String SERVICE = "bot-ingest";

    @TestHTTPResource(value = "", management = true)
    URL management;

    @Test
    void everyMetricTheMonitoringSelectsIsExported() {
        given().header("X-Telegram-Bot-Api-Secret-Token", "test-ingest-secret").contentType(ContentType.JSON)
                .body("{\"update_id\": 1, \"poll\": {\"id\": \"p\"}}")
                .when().post("/telegram/updates").then().statusCode(202);

        List<Selector> mine = MonitoringMetrics.selectors(MonitoringMetrics.directory()).stream()
                .filter(s -> !s.ofKubernetes() && s.services().contains(SERVICE)).toList();
        assertFalse(mine.isEmpty(), "nothing in k8s/monitoring selects " + SERVICE);
        Set<String> exported = MonitoringMetrics.exportedNames(
                given().get(at(management, "/metrics")).then().statusCode(200).extract().asString());
        assertEquals(List.of(), mine.stream().filter(s -> !exported.contains(s.metric())).toList(),
                "selected by k8s/monitoring but not exported by " + SERVICE);
    }
}
