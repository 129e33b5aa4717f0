package dev.tgregistry.ingest.relay;

import dev.tgregistry.ingest.IngestConfig;
import dev.tgregistry.ingest.web.IngestSecretFilter;
import io.smallrye.mutiny.Uni;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The bot's own webhook, called with Vert.x' non-blocking HTTP client (pooled keep-alive connections, one pool per
 * event loop): the body goes out byte for byte as Telegram sent it, with the bot's own secret header. Only a relay
 * that is on creates it.
 */
@ApplicationScoped
public class BotWebhook {
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final int WAITING_PER_CONNECTION = 4;
    static final int KEEP_ALIVE_SECONDS = 4;
    /** The highest {@code max_connections} of Telegram's {@code setWebhook}. */
    static final int TELEGRAM_MAX_CONNECTIONS = 100;
    private static final Object OFF_EVENT_LOOP = new Object();

    private final Vertx vertx;
    private final HttpClientOptions options;
    /** One client (pool of connections) per event loop, see {@link #client()}. */
    private final Map<Object, HttpClient> clients = new ConcurrentHashMap<>();
    private final URI target;
    private final int port;
    private final String pathAndQuery;
    private final Optional<String> secret;
    private final long timeoutMillis;

    @Inject
    public BotWebhook(Vertx vertx, IngestConfig ingestConfig) {
        this(vertx, URI.create(checkedTarget(ingestConfig.relay().targetUrl()
                        .orElseThrow(() -> new IllegalStateException("app.relay.target-url is not set")))),
                ingestConfig.relay().targetSecret().filter(s -> !s.isEmpty()), ingestConfig.relay().timeout(),
                ingestConfig.relay().maxConnections());
    }

    /** A webhook at {@code target}; also the warm-up's local sink ({@link RelayWarmUp}). */
    BotWebhook(Vertx vertx, URI target, Optional<String> secret, Duration timeout, int maxConnections) {
        this.vertx = vertx;
        this.target = target;
        // parsed once here rather than from the URL string on every delivery
        this.port = port(target);
        this.pathAndQuery = requestUri(target);
        this.secret = secret;
        this.timeoutMillis = timeout.toMillis();
        int perLoop = perEventLoop(maxConnections, eventLoops(vertx));
        this.options = new HttpClientOptions()
                .setMaxPoolSize(perLoop)
                .setMaxWaitQueueSize(waitQueue(perLoop))
                .setKeepAlive(true)
                // below the shortest keep-alive of common bot servers (uvicorn: 5 s), so the relay never sends on a
                // connection the bot is closing (that delivery would fail with 502)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setConnectTimeout((int) Math.min(timeoutMillis, MAX_CONNECT_TIMEOUT.toMillis()))
                .setTryUseCompression(false)
                .setHttp2ClearTextUpgrade(false);
    }

    /**
     * Deliveries of one event loop that may wait for a connection; past this many a delivery fails at once (502) and
     * Telegram sends it again later, so a bot slower than the updates arrive cannot fill the heap. Never below
     * Telegram's own bound: it keeps at most {@code max_connections} (≤ {@value #TELEGRAM_MAX_CONNECTIONS}) deliveries
     * in flight per webhook, so Telegram's own traffic is never refused here, however slow the bot or a relay that has
     * just started.
     */
    static int waitQueue(int connectionsPerLoop) {
        return Math.max(WAITING_PER_CONNECTION * connectionsPerLoop, TELEGRAM_MAX_CONNECTIONS);
    }

    /** {@code app.relay.max-connections} shared out over the event loops, at least one each. */
    static int perEventLoop(int maxConnections, int eventLoops) {
        return Math.max(1, maxConnections / Math.max(1, eventLoops));
    }

    private static int eventLoops(Vertx vertx) {
        int loops = 0;
        for (EventExecutor ignored : ((VertxInternal) vertx).getEventLoopGroup()) {
            loops++;
        }
        return loops;
    }

    /**
     * The client of the calling event loop: its connections live on that loop, so a delivery is read, forwarded and
     * answered by one thread (a shared pool hands connections across loops, two thread hand-offs per delivery).
     */
    private HttpClient client() {
        Context context = Vertx.currentContext();
        Object loop = context instanceof ContextInternal internal && context.isEventLoopContext()
                ? internal.nettyEventLoop() : OFF_EVENT_LOOP;
        return clients.computeIfAbsent(loop, key -> vertx.createHttpClient(options));
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

    /** The target's port, or the scheme's default. */
    static int port(URI target) {
        return target.getPort() != -1 ? target.getPort() : isHttps(target) ? 443 : 80;
    }

    /** What goes on the request line: the target's path (at least "/") and query, still percent-encoded. */
    static String requestUri(URI target) {
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        return target.getRawQuery() == null ? path : path + "?" + target.getRawQuery();
    }

    private static boolean isHttps(URI uri) {
        return "https".equalsIgnoreCase(uri.getScheme());
    }

    /**
     * Posts {@code body} unchanged; fails with the transport's exception (refused, reset) or a {@link TimeoutException}
     * when the whole answer has not arrived within {@code app.relay.timeout} (the request is then reset).
     */
    public Uni<BotAnswer> forward(byte[] body) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setHost(target.getHost()).setPort(port).setSsl(isHttps(target)).setURI(pathAndQuery)
                .setIdleTimeout(timeoutMillis)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        secret.ifPresent(s -> options.putHeader(IngestSecretFilter.HEADER, s));
        return Uni.createFrom().emitter(answer -> {
            AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
            // a timer of the calling event loop: no other thread is involved in the common case
            long timer = vertx.setTimer(timeoutMillis, id -> {
                answer.fail(new TimeoutException("the bot did not answer in time"));
                HttpClientRequest request = sent.get();
                if (request != null) {
                    request.reset();
                }
            });
            client().request(options)
                    .compose(request -> {
                        sent.set(request);
                        return request.send(Buffer.buffer(body));
                    })
                    .compose(response -> response.body().map(received -> new BotAnswer(response.statusCode(),
                            response.getHeader(HttpHeaders.CONTENT_TYPE), received.getBytes())))
                    .onComplete(result -> {
                        vertx.cancelTimer(timer);
                        if (result.succeeded()) {
                            answer.complete(result.result());
                        } else {
                            answer.fail(result.cause());
                        }
                    });
        });
    }

    @PreDestroy
    void close() {
        clients.values().forEach(HttpClient::close);
    }
}
