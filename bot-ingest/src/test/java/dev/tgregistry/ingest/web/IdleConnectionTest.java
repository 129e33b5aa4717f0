package dev.tgregistry.ingest.web;

import dev.tgregistry.localstack.KafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection that stopped in the middle of its request header is closed once it was idle for
 * {@code quarkus.http.idle-timeout} (2 s here; 75 s in production).
 */
@QuarkusTest
@TestProfile(IdleConnectionTest.ShortIdleTimeout.class)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
class IdleConnectionTest {
    public static class ShortIdleTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.idle-timeout", "2s");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void aHalfSentRequestHeaderIsClosedAfterTheIdleTimeout() throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write("POST /telegram/updates HTTP/1.1\r\nHost: localhost\r\nX-Telegram-Bot-Api-"
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            long start = System.nanoTime();
            int read = socket.getInputStream().read();
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(-1, read, "closed without an answer");
            assertTrue(waitedMs >= 1_500 && waitedMs < 10_000, "closed after " + waitedMs + " ms");
        }
    }
}
