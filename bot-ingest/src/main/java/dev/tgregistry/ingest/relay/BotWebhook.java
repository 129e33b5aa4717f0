package dev.tgregistry.ingest.relay;

import dev.tgregistry.ingest.IngestConfig;
import dev.tgregistry.ingest.web.IngestSecretFilter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The bot's own webhook, called with Vert.x' non-blocking HTTP client (pooled keep-alive connections): the body
 * goes out byte for byte as Telegram sent it, with the bot's own secret header. Only a relay that is on creates it.
 */
@ApplicationScoped
public class BotWebhook {
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final int WAITING_PER_CONNECTION = 4;
    static final int KEEP_ALIVE_SECONDS = 4;

    private final HttpClient client;
    private final String target;
    private final Optional<String> secret;
    private final long timeoutMillis;

    public BotWebhook(Vertx vertx, IngestConfig ingestConfig) {
        RelayConfig config = ingestConfig.relay();
        this.target = checkedTarget(config.targetUrl().orElseThrow(() -> new IllegalStateException("app.relay.target-url is not set")));
        this.secret = config.targetSecret().filter(s -> !s.isEmpty());
        this.timeoutMillis = config.timeout().toMillis();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setMaxPoolSize(config.maxConnections())
                // a bot slower than the updates arrive must not fill the heap with waiting requests: past this many
                // waiting for a connection, a delivery fails at once (502) and Telegram sends it again later
                .setMaxWaitQueueSize(WAITING_PER_CONNECTION * config.maxConnections())
                .setKeepAlive(true)
                // below the shortest keep-alive of common bot servers (uvicorn: 5 s), so the relay never sends on a
                // connection the bot is closing (that delivery would fail with 502)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setConnectTimeout((int) Math.min(timeoutMillis, MAX_CONNECT_TIMEOUT.toMillis()))
                .setTryUseCompression(false)
                .setHttp2ClearTextUpgrade(false));
    }

    /** An absolute http(s) URL, or a failed start: a relay without a reachable target would silence the bot. */
    static String checkedTarget(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("app.relay.target-url is not a URL: " + e.getMessage());
        }
        if (!uri.isAbsolute() || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new IllegalStateException("app.relay.target-url must be an absolute http or https URL");
        }
        return uri.toString();
    }

    /** Posts {@code body} unchanged; fails with the transport's exception (refused, reset, timeout). */
    public Uni<BotAnswer> forward(byte[] body) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(target)
                .setIdleTimeout(timeoutMillis)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        secret.ifPresent(s -> options.putHeader(IngestSecretFilter.HEADER, s));
        var answer = client.request(options)
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(received -> new BotAnswer(response.statusCode(),
                        response.getHeader(HttpHeaders.CONTENT_TYPE), received.getBytes())));
        return Uni.createFrom().completionStage(answer.toCompletionStage())
                .ifNoItem().after(Duration.ofMillis(timeoutMillis))
                .failWith(() -> new java.util.concurrent.TimeoutException("the bot did not answer in time"));
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
