package dev.tgregistry.ingest.ops;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With the access log turned on (as QUARKUS_HTTP_ACCESS_LOG_ENABLED=true does), each request is one line with method,
 * path, status and time, and the query string stays out (here written to a file to read it back).
 */
@QuarkusTest
@TestProfile(AccessLogTest.On.class)
class AccessLogTest {
    static final Path DIR = Path.of("target", "access-log-test");

    public static class On implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.createDirectories(DIR);
                Files.deleteIfExists(DIR.resolve("access.log"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return Map.of("quarkus.http.access-log.enabled", "true",
                    "quarkus.http.access-log.log-to-file", "true",
                    "quarkus.http.access-log.log-directory", DIR.toAbsolutePath().toString(),
                    "quarkus.http.access-log.base-file-name", "access.");
        }
    }

    @Test
    void oneLinePerRequestWithoutTheQueryString() {
        given().get("/bot/events?name=Sergey").then().statusCode(401);
        Path log = DIR.resolve("access.log");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log)
                && Files.readString(log).contains("\"GET /bot/events HTTP/1.1\" 401"));
        String lines = Files.exists(log) ? read(log) : "";
        assertFalse(lines.contains("Sergey"), lines);
        assertTrue(lines.lines().anyMatch(line -> line.matches(".*\"GET /bot/events HTTP/1.1\" 401 \\S+ \\d+ ms")), lines);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
