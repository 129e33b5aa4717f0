package dev.tgregistry.ingest.relay;

import com.sun.net.httpserver.HttpServer;
import dev.tgregistry.ingest.IngestConfig;
import dev.tgregistry.ingest.web.IngestSecretFilter;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.security.MessageDigest;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Relay mode: before bot-ingest reports ready, {@code app.relay.warm-up-deliveries} synthetic updates travel the whole
 * relay path — bot-ingest's own HTTP endpoint, the update's parsing, the client to a webhook — to a sink on a local
 * port instead of the bot, and their sightings are not published. The services run the C2-only JIT (pom.xml): code
 * stays interpreted for its first ~10,000 calls, and a relay that took Telegram's updates at once relayed them several
 * times slower for its first ~20 s. Readiness stays DOWN until the warm-up is over, so Kubernetes keeps Telegram on the
 * pod that served it until this one is as fast. A warm-up request carries {@link #HEADER} with a random token that
 * never leaves the process; any other request is an ordinary delivery.
 */
@Readiness
@ApplicationScoped
public class RelayWarmUp implements HealthCheck {
    public static final String HEADER = "X-Relay-Warm-Up";
    private static final Logger LOG = Logger.getLogger(RelayWarmUp.class);
    private static final int CONCURRENCY = 16;
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final long FIRST_USER = 900_000_000_000L;
    private static final byte[] SINK_ANSWER = "{\"method\":\"sendMessage\",\"chat_id\":1,\"text\":\"warm-up\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final Vertx vertx;
    private final boolean relayOn;
    private final int deliveries;
    private final Optional<String> ingestSecret;
    private final String token = newToken();
    private final AtomicInteger answered = new AtomicInteger();
    private volatile boolean over;
    private volatile BotWebhook sink;

    public RelayWarmUp(Vertx vertx, IngestConfig config) {
        this.vertx = vertx;
        this.relayOn = config.relay().targetUrl().filter(url -> !url.isBlank()).isPresent();
        this.deliveries = Math.max(0, config.relay().warmUpDeliveries());
        this.ingestSecret = Optional.ofNullable(config.ingestSecret()).map(s -> s.split(",")[0].strip());
        this.over = !relayOn || deliveries == 0;
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Whether a request's {@link #HEADER} value is this process' warm-up token. */
    boolean isWarmUp(String headerValue) {
        return headerValue != null && sink != null && MessageDigest.isEqual(
                token.getBytes(StandardCharsets.US_ASCII), headerValue.getBytes(StandardCharsets.US_ASCII));
    }

    /** A warm-up delivery: read like Telegram's, forwarded to the sink, answered as the bot's answer would be. */
    Uni<Response> deliver(byte[] body) {
        RelayedUpdate.read(body, Instant.now());
        return sink.forward(body).map(BotAnswer::toResponse);
    }

    void onStart(@Observes StartupEvent started) {
        if (over) {
            return;
        }
        Instant start = Instant.now();
        HttpServer server;
        try {
            server = sinkServer();
        } catch (IOException | RuntimeException e) {
            over = true;
            LOG.warnf("relay warm-up not run (%s); ready all the same", e.toString());
            return;
        }
        sink = new BotWebhook(vertx, URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/warm-up"),
                Optional.empty(), Duration.ofSeconds(10), CONCURRENCY);
        send().onComplete(result -> {
            BotWebhook used = sink;
            sink = null;
            used.close();
            server.stop(0);
            over = true;
            if (result.succeeded()) {
                LOG.infof("relay warm-up: %d deliveries in %d ms; ready", answered.get(),
                        Duration.between(start, Instant.now()).toMillis());
            } else {
                LOG.warnf("relay warm-up stopped after %d of %d deliveries (%s); ready all the same", answered.get(),
                        deliveries, result.cause().toString());
            }
        });
    }

    /**
     * The sink in the bot's place: the JDK's HTTP server on a thread of its own (a Vert.x server created while
     * Quarkus starts its own held that start up).
     */
    private static HttpServer sinkServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, SINK_ANSWER.length);
                exchange.getResponseBody().write(SINK_ANSWER);
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "relay-warm-up-sink");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return server;
    }

    /**
     * The port bot-ingest's HTTP server listens on, 0 while unknown: the configured one, or the one Quarkus chose for
     * a random port (it sets that in a system property once bound).
     */
    private static int listeningPort() {
        String property = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        return Optional.ofNullable(System.getProperty(property))
                .or(() -> ConfigProvider.getConfig().getOptionalValue(property, String.class))
                .map(Integer::parseInt).orElse(0);
    }

    /**
     * {@link #deliveries} POSTs to bot-ingest's own endpoint, {@link #CONCURRENCY} at a time; until the first is
     * answered, a refused connection only means the server is not listening yet.
     */
    private Future<Void> send() {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(CONCURRENCY).setKeepAlive(true));
        Promise<Void> done = Promise.promise();
        AtomicInteger next = new AtomicInteger();
        long deadline = vertx.setTimer(LIMIT.toMillis(), id -> done.tryFail("not over within " + LIMIT));
        for (int lane = 0; lane < CONCURRENCY; lane++) {
            sendNext(client, next.getAndIncrement(), next, done);
        }
        return done.future().eventually(() -> {
            vertx.cancelTimer(deadline);
            return client.close();
        });
    }

    private void sendNext(HttpClient client, int n, AtomicInteger next, Promise<Void> done) {
        if (n >= deliveries || done.future().isComplete()) {
            return;
        }
        int port = listeningPort();
        if (port <= 0) {
            vertx.setTimer(200, id -> sendNext(client, n, next, done));
            return;
        }
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI("/telegram/updates").putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader(HEADER, token);
        ingestSecret.ifPresent(secret -> request.putHeader(IngestSecretFilter.HEADER, secret));
        client.request(request)
                .compose(sent -> sent.send(Buffer.buffer(update(n))))
                .compose(response -> response.body().map(ignored -> response.statusCode()))
                .onComplete(result -> {
                    if (result.failed() && answered.get() == 0) {
                        vertx.setTimer(200, id -> sendNext(client, n, next, done));
                    } else if (result.failed() || result.result() != 200) {
                        done.tryFail(result.failed() ? result.cause().toString() : "status " + result.result());
                    } else {
                        if (answered.incrementAndGet() == deliveries) {
                            done.tryComplete();
                        }
                        sendNext(client, next.getAndIncrement(), next, done);
                    }
                });
    }

    /** An update shaped like a private message to the bot, a different user each time. */
    static byte[] update(int n) {
        long user = FIRST_USER + n;
        return ("{\"update_id\":" + n + ",\"message\":{\"message_id\":" + n + ",\"from\":{\"id\":" + user
                + ",\"is_bot\":false,\"first_name\":\"Warm\",\"last_name\":\"Up\",\"username\":\"warm_up_" + n
                + "\",\"language_code\":\"en\"},\"chat\":{\"id\":" + user + ",\"type\":\"private\"},\"date\":1700000000,"
                + "\"text\":\"/start\"}}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("relay warm-up").status(over)
                .withData("deliveries", answered.get()).withData("of", relayOn ? deliveries : 0).build();
    }
}
