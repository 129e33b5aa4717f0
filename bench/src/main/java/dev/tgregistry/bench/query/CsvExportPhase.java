package dev.tgregistry.bench.query;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.stack.RssSampler;
import dev.tgregistry.bench.stack.Stack;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One whole CSV export (the non-course audience, ~1M rows, or a segment), read as it streams and discarded: rows,
 * MB, seconds and user-service's RSS maximum meanwhile.
 */
final class CsvExportPhase {

    record Run(long rows, double mb, double seconds, double rssMb) {
    }

    private CsvExportPhase() {
    }

    static Run run(HttpClient http, Stack.Service userService, RssSampler rss) throws Exception {
        return run(http, userService, rss, "/api/users/non-course?format=csv");
    }

    /** The CSV at {@code pathAndQuery}, read to its end. */
    static Run run(HttpClient http, Stack.Service userService, RssSampler rss, String pathAndQuery) throws Exception {
        Bench.log("CSV export of " + pathAndQuery);
        rss.resetPhase();
        HttpRequest request = HttpRequest.newBuilder(URI.create(userService.baseUrl() + pathAndQuery))
                .timeout(Duration.ofMinutes(10)).header("Authorization", "Bearer " + Stack.API_KEY).GET().build();
        long started = System.nanoTime();
        long bytes = 0;
        long lines = 0;
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = body.read(buffer)) > 0; ) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (response.statusCode() != 200) {
            throw new IllegalStateException("CSV export answered " + response.statusCode());
        }
        double rssMax = rss.phaseMaxMb().getOrDefault("user-service", Double.NaN);
        return new Run(lines - 1, bytes / 1e6, seconds, rssMax);
    }
}
