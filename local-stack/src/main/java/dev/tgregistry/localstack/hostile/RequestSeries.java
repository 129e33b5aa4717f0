package dev.tgregistry.localstack.hostile;

import dev.tgregistry.localstack.RawHttp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code http_server_requests} series of a service's Prometheus endpoint, as their label sets. */
final class RequestSeries {
    private static final String SERIES = "http_server_requests_seconds_count{";
    private static final Pattern URI_LABEL = Pattern.compile("(?:^|,)uri=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final URL metrics;
    private final int timeoutMillis;

    RequestSeries(URL metrics, int timeoutMillis) {
        this.metrics = metrics;
        this.timeoutMillis = timeoutMillis;
    }

    Set<String> read() {
        try {
            RawHttp.Response response = RawHttp.send(metrics.getHost(), metrics.getPort(),
                    new RawHttp.Request("GET", metrics.getFile(), List.of(), null), timeoutMillis);
            if (response.status() != 200) {
                throw new IllegalStateException(metrics + " answered " + response.status());
            }
            Set<String> series = new LinkedHashSet<>();
            for (String line : response.body().split("\n")) {
                if (line.startsWith(SERIES)) {
                    series.add(labels(line, SERIES.length()));
                }
            }
            return series;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + metrics, e);
        }
    }

    /** The value of the series' {@code uri} label, or "(no uri label)". */
    static String uri(String series) {
        Matcher uri = URI_LABEL.matcher(series);
        return uri.find() ? uri.group(1) : "(no uri label)";
    }

    /** The label set that starts at {@code from} (after the opening brace), up to its closing brace outside quotes. */
    static String labels(String line, int from) {
        boolean quoted = false;
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '}' && !quoted) {
                return line.substring(from, i);
            }
        }
        return line.substring(from);
    }
}
