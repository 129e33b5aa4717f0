package dev.tgregistry.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the Prometheus text of a service's {@code /q/metrics} and sums the samples of one metric whose labels
 * contain every given {@code label="value"} fragment (e.g. the {@code http.server.requests} timer of one URI).
 */
final class Metrics {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String url;

    Metrics(String baseUrl) {
        this.url = baseUrl + "/q/metrics";
    }

    String scrape() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (Exception e) {
            return "";
        }
    }

    /** Sum over the samples of {@code metric} (exact name before '{') whose label set contains all fragments. */
    static double sum(String text, String metric, String... labelFragments) {
        double total = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(metric)) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = brace > 0 ? line.substring(0, brace) : line.substring(0, Math.max(space, 0));
            if (!name.equals(metric)) {
                continue;
            }
            boolean all = true;
            for (String f : labelFragments) {
                if (!line.contains(f)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                try {
                    total += Double.parseDouble(line.substring(space + 1).trim());
                } catch (NumberFormatException ignored) {
                    // NaN etc.
                }
            }
        }
        return total;
    }

    /** Server-side count and mean time (ms) of http.server.requests for one URI template between two scrapes. */
    static Map<String, Double> serverTime(String before, String after, String uri) {
        String label = "uri=\"" + uri + "\"";
        double count = sum(after, "http_server_requests_seconds_count", label) - sum(before, "http_server_requests_seconds_count", label);
        double seconds = sum(after, "http_server_requests_seconds_sum", label) - sum(before, "http_server_requests_seconds_sum", label);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("mean_ms", count > 0 ? seconds * 1000 / count : Double.NaN);
        return m;
    }
}
