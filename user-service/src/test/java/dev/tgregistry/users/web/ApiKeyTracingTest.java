package dev.tgregistry.users.web;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.users.ops.CollectedSpans;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A request's server span names the caller by its key id (enduser.id) and rights, never by the key itself. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class ApiKeyTracingTest {
    private static final String KEY = "test-api-key";

    @Inject
    CollectedSpans spans;

    @Test
    void theServerSpanCarriesTheKeyIdAndNotTheKey() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        given().header("Authorization", "Bearer " + KEY).header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .get("/api/stats").then().statusCode(200);

        SpanData server = await().atMost(Duration.ofSeconds(10)).until(() -> spans.ended().stream()
                .filter(span -> span.getTraceId().equals(traceId) && span.getKind() == SpanKind.SERVER).findFirst(),
                Optional::isPresent).get();
        Map<String, String> attributes = server.getAttributes().asMap().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().getKey(), e -> String.valueOf(e.getValue())));
        assertEquals(ApiKeys.keyId(KEY), attributes.get("enduser.id"), attributes.toString());
        assertFalse(attributes.values().stream().anyMatch(value -> value.contains(KEY)), "the key itself is in " + attributes);
    }
}
