package dev.tgregistry.users.adoption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgregistry.localstack.LocalPostgres;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service in its prod profile logs JSON, one object per line. Stopping its PostgreSQL takes it out of
 * readiness but not liveness, and a request then fails with a 500 that answers problem+json with a {@code trace_id} that finds the error's log line ({@code mdc.traceId}),
 * with tracing off (a random id) and on (the request's trace; OTLP endpoint unreachable, which only costs export
 * warnings).
 */
class ProdLogsAndServerErrorsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLAIN_LOG_LINE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}[,.]\\d{3} |^\\d{2}:\\d{2}:\\d{2}[,.]\\d{3} ");
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");

    @Test
    void tracingOff() throws Exception {
        String traceId = serverErrorCarriesTheTraceIdOfItsLogLine("prod-logs", Map.of(), false);
        assertFalse(traceId.matches("0+"), traceId);
    }

    @Test
    void tracingOn() throws Exception {
        serverErrorCarriesTheTraceIdOfItsLogLine("prod-traced", Map.of("QUARKUS_OTEL_SDK_DISABLED", "false",
                "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + ServiceProcess.freePort()), true);
    }

    private String serverErrorCarriesTheTraceIdOfItsLogLine(String name, Map<String, String> env, boolean traced) throws Exception {
        int pgPort = ServiceProcess.freePort();
        Path dataDir = Files.createDirectories(Path.of("target", name + "-pg-" + System.nanoTime()));
        LocalPostgres postgres = LocalPostgres.start(pgPort, dataDir, "users");
        try (ServiceProcess service = ServiceProcess.start(name, pgPort, "users", env)) {
            service.awaitReady(Duration.ofSeconds(90));
            List<JsonNode> startup = jsonLines(service.log());
            assertTrue(startup.size() >= 3, "JSON log lines at startup:\n" + service.log());
            for (JsonNode line : startup) {
                assertTrue(line.has("timestamp") && line.has("level") && line.has("message") && line.has("loggerName"), line.toString());
            }

            postgres.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> service.management("/q/health/ready").statusCode() == 503);
            assertEquals(200, service.management("/q/health/live").statusCode(), "liveness ignores a PostgreSQL outage");
            HttpResponse<String> failed = service.get("/api/stats");
            assertEquals(500, failed.statusCode(), failed.body());
            assertTrue(failed.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            JsonNode problem = JSON.readTree(failed.body());
            String traceId = problem.path("trace_id").asText();
            assertTrue(TRACE_ID.matcher(traceId).matches(), "trace_id in " + failed.body());
            assertFalse(failed.body().contains("Connection refused") || failed.body().contains("SQL"), "no internals: " + failed.body());

            JsonNode logged = await().atMost(Duration.ofSeconds(10)).until(() -> jsonLines(service.log()).stream()
                    .filter(line -> traceId.equals(line.path("mdc").path("traceId").asText())).findFirst(), Optional::isPresent).get();
            assertEquals("ERROR", logged.path("level").asText(), logged.toString());
            if (traced) {
                assertTrue(logged.path("mdc").hasNonNull("spanId"), "the request's span: " + logged);
            }
            return traceId;
        } finally {
            postgres.close();
        }
    }

    /** Every log line parses as a JSON object; non-JSON lines (JVM warnings) may exist, plain-format log lines may not. */
    private static List<JsonNode> jsonLines(String log) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : log.split("\n")) {
            assertFalse(PLAIN_LOG_LINE.matcher(line).find(), "plain-text log line in prod: " + line);
            if (line.startsWith("{")) {
                JsonNode json = JSON.readTree(line);
                assertTrue(json.isObject(), line);
                lines.add(json);
            }
        }
        return lines;
    }
}
