package dev.tgregistry.bench.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Percentiles from the growth of Prometheus histogram buckets between two scrapes. */
class MetricsTest {
    private static String scrape(long under5ms, long under10ms, long under20ms, long total, long otherUri) {
        String search = "method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/api/users/search\"";
        return String.join("\n",
                "# TYPE http_server_requests_seconds histogram",
                "http_server_requests_seconds_bucket{" + search + ",le=\"0.005\"} " + under5ms,
                "http_server_requests_seconds_bucket{" + search + ",le=\"0.01\"} " + under10ms,
                "http_server_requests_seconds_bucket{" + search + ",le=\"0.02\"} " + under20ms,
                "http_server_requests_seconds_bucket{" + search + ",le=\"+Inf\"} " + total,
                "http_server_requests_seconds_count{" + search + "} " + total,
                "http_server_requests_seconds_bucket{method=\"GET\",uri=\"/api/stats\",le=\"0.005\"} " + otherUri,
                "http_server_requests_seconds_count{method=\"GET\",uri=\"/api/stats\"} " + otherUri,
                "jvm_gc_pause_seconds_count{action=\"end of minor GC\"} " + total);
    }

    @Test
    void percentileIsInterpolatedInsideTheBucketOfTheRequestsBetweenTheScrapes() {
        String before = scrape(500, 500, 500, 500, 7);
        // 100 more requests: 50 under 5 ms, 40 in (5, 10] ms, 10 in (10, 20] ms; other URIs must not count
        String after = scrape(550, 590, 600, 600, 900);
        assertEquals(7.5, Metrics.serverPercentile(before, after, "/api/users/search", 0.70), 1e-9);
        assertEquals(19.0, Metrics.serverPercentile(before, after, "/api/users/search", 0.99), 1e-9);
        assertEquals(100.0, Metrics.delta(before, after, "jvm_gc_pause_seconds_count"), 1e-9);
        assertTrue(Double.isNaN(Metrics.serverPercentile(after, after, "/api/users/search", 0.99)), "no requests between");
    }
}
