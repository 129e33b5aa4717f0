package dev.tgregistry.bench.report;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the Prometheus text of a service's {@code /q/metrics} (on its management port) and sums the samples of one metric whose labels
 * contain every given {@code label="value"} fragment (e.g. the {@code http.server.requests} timer of one URI).
 */
public final class Metrics {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String url;

    public Metrics(String managementUrl) {
        this.url = managementUrl + "/q/metrics";
    }

    public String scrape() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (Exception e) {
            return "";
        }
    }

    /** Sum over the samples of {@code metric} (exact name before '{') whose label set contains all fragments. */
    public static double sum(String text, String metric, String... labelFragments) {
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
            if (Arrays.stream(labelFragments).allMatch(line::contains)) {
                try {
                    total += Double.parseDouble(line.substring(space + 1).trim());
                } catch (NumberFormatException ignored) {
                    // NaN etc.
                }
            }
        }
        return total;
    }

    /** user-service's batch writes of user-seen records between two scrapes: batches, records, seconds spent writing. */
    public record BatchWrites(double batches, double records, double seconds) {
        public static BatchWrites between(String before, String after) {
            String topic = "topic=\"telegram.user-seen.v1\"";
            return new BatchWrites(delta(before, after, "registry_batch_write_seconds_count", topic),
                    delta(before, after, "registry_batch_size_sum", topic), delta(before, after, "registry_batch_write_seconds_sum", topic));
        }
    }

    /** How much {@link #sum} grew from the scrape {@code before} to the scrape {@code after}. */
    public static double delta(String before, String after, String metric, String... labelFragments) {
        return sum(after, metric, labelFragments) - sum(before, metric, labelFragments);
    }

    /** Server-side count and mean time (ms) of http.server.requests for one URI template between two scrapes. */
    public static Map<String, Double> serverTime(String before, String after, String uri) {
        String label = "uri=\"" + uri + "\"";
        double count = delta(before, after, "http_server_requests_seconds_count", label);
        double seconds = delta(before, after, "http_server_requests_seconds_sum", label);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("mean_ms", count > 0 ? seconds * 1000 / count : Double.NaN);
        return m;
    }

    /**
     * Server-side percentile (ms) of http.server.requests for one URI template between two scrapes, from the
     * histogram's cumulative {@code _bucket} series (user-service publishes them): the bucket where the
     * cumulative count reaches the share, linearly interpolated inside it. NaN without buckets.
     */
    public static double serverPercentile(String before, String after, String uri, double share) {
        TreeMap<Double, Double> cumulative = buckets(after, uri);
        buckets(before, uri).forEach((le, count) -> cumulative.merge(le, -count, Double::sum));
        double total = delta(before, after, "http_server_requests_seconds_count", "uri=\"" + uri + "\"");
        if (cumulative.isEmpty() || total <= 0) {
            return Double.NaN;
        }
        double wanted = share * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= wanted) {
                double inBucket = bucket.getValue() - lowerCount;
                double fraction = inBucket <= 0 ? 1 : (wanted - lowerCount) / inBucket;
                return 1000 * (lowerBound + fraction * (bucket.getKey() - lowerBound));
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return 1000 * lowerBound; // beyond the last finite bucket
    }

    /** Cumulative counts of one URI's finite http.server.requests buckets, by upper bound, summed over its series. */
    private static TreeMap<Double, Double> buckets(String text, String uri) {
        TreeMap<Double, Double> counts = new TreeMap<>();
        String label = "uri=\"" + uri + "\"";
        for (String line : text.split("\n")) {
            if (line.startsWith("http_server_requests_seconds_bucket{") && line.contains(label) && !line.contains("le=\"+Inf\"")) {
                String le = line.substring(line.indexOf("le=\"") + 4);
                counts.merge(Double.parseDouble(le.substring(0, le.indexOf('"'))),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        }
        return counts;
    }
}
