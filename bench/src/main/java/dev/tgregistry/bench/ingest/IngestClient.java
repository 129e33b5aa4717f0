package dev.tgregistry.bench.ingest;

import dev.tgregistry.bench.stack.Stack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Posts bodies to bot-ingest with its secret header, as the bot and Telegram do. */
public final class IngestClient {

    /** The answer: HTTP status (-1 = no answer: connection refused, reset, timeout), Retry-After and the body. */
    public record Answer(int status, String retryAfter, String body) {
        public boolean accepted() {
            return status == 202;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public IngestClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    HttpRequest request(String path, byte[] body) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Telegram-Bot-Api-Secret-Token", Stack.INGEST_SECRET)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** Status only; -1 when there was no answer. */
    int status(String path, byte[] body) {
        return post(path, body).status();
    }

    public Answer post(String path, byte[] body) {
        try {
            HttpResponse<String> r = http.send(request(path, body), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("Retry-After").orElse(null), r.body());
        } catch (IOException e) {
            return new Answer(-1, null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null, "interrupted");
        }
    }
}
