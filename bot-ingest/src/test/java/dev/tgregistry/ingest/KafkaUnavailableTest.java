package dev.tgregistry.ingest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With no broker to acknowledge, the sender gets 503 within the configured bound, so it retries; the 503 body
 * carries the trace_id of its log line.
 */
@QuarkusTest
@TestProfile(KafkaUnavailableTest.NoBroker.class)
class KafkaUnavailableTest {

    public static class NoBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + closedPort(), "app.kafka-ack-timeout", "3s");
        }
    }

    @Test
    void answers503WithinTheAckTimeout() throws Exception {
        Instant start = Instant.now();
        given().header(IngestEndpointsTest.SECRET_HEADER, IngestEndpointsTest.SECRET)
                .contentType(ContentType.JSON).body(IngestEndpointsTest.fixture("message"))
                .when().post("/telegram/updates")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("5"))
                .body("error", containsString("retry"))
                .body("trace_id", matchesPattern("[0-9a-f]{32}"));
        Duration took = Duration.between(start, Instant.now());
        // not a speed check: without the bound the producer would block for max.block.ms (60 s) before any answer;
        // the margin over the 3 s timeout absorbs a loaded machine's first-request warm-up
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "503 came after " + took);
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
