package dev.tgregistry.ingest.relay;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A bot's webhook for the relay tests and the benchmark: a small Vert.x HTTP server (its own Vert.x instance) that
 * records every request it got, in arrival order, and answers with a webhook-reply body ({@link #REPLY}), a
 * failure status, or nothing for a while. {@link #stop()} closes the port: the bot is down.
 */
public final class StubBot implements AutoCloseable {
    public static final String PATH = "/bot-webhook/hook";
    public static final String SECRET = "the-bots-own-secret";
    /** A webhook reply: Telegram performs this method with the update's answer. */
    public static final byte[] REPLY = "{\"method\":\"sendMessage\",\"chat_id\":95450323,\"text\":\"Привет, \\u0421ергей!\"}"
            .getBytes(StandardCharsets.UTF_8);

    /** One request as the bot received it. */
    public record Received(String path, byte[] body, String secret, String contentType) {
    }

    public enum Mode { REPLY, FAIL_503, SLOW }

    private final Vertx vertx = Vertx.vertx();
    private final int port;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.REPLY;
    private volatile long slowMillis = 3_000;
    private HttpServer server;

    public StubBot(int port) {
        this.port = port;
    }

    /** A port free right now, the same in every class loader of the test JVM (kept in a system property). */
    public static synchronized int port(String name) {
        String key = "relay-test.port." + name;
        String known = System.getProperty(key);
        if (known != null) {
            return Integer.parseInt(known);
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            System.setProperty(key, Integer.toString(socket.getLocalPort()));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String url(int port) {
        return "http://127.0.0.1:" + port + PATH;
    }

    /** Listens (again) on the port; a port still held by the previous close is retried for a few seconds. */
    public synchronized StubBot start() {
        if (server != null) {
            return this;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                server = await(listen());
                return this;
            } catch (IllegalStateException e) {
                if (attempt == 50) {
                    throw e;
                }
                sleep(100);
            }
        }
    }

    private io.vertx.core.Future<HttpServer> listen() {
        return vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            received.add(new Received(request.path(), body.getBytes(), request.getHeader("X-Telegram-Bot-Api-Secret-Token"),
                    request.getHeader("Content-Type")));
            switch (mode) {
                case REPLY -> request.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(REPLY));
                case FAIL_503 -> request.response().setStatusCode(503).putHeader("Content-Type", "text/plain")
                        .end("bot restarting");
                case SLOW -> vertx.setTimer(slowMillis, id -> request.response().putHeader("Content-Type", "application/json")
                        .end(Buffer.buffer(REPLY)));
            }
        })).listen(port, "127.0.0.1");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Closes the port: connections are refused until {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            await(server.close());
            server = null;
        }
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public void forget() {
        received.clear();
    }

    @Override
    public void close() {
        stop();
        await(vertx.close());
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
