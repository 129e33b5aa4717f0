package dev.tgregistry.bench.relay;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/** The relay benchmark's stub bot: bench/README.md, "bench/run relay". */
final class StubWebhook implements AutoCloseable {
    static final String PATH = "/bot-webhook";
    static final String SECRET = "bench-bot-secret";
    static final byte[] REPLY = "{\"method\":\"sendMessage\",\"chat_id\":1,\"text\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong wrongSecret = new AtomicLong();

    StubWebhook(int port) throws IOException {
        // answers go out in two writes (headers, body): without TCP_NODELAY, Nagle holds the body until the client's
        // delayed ACK (~40 ms on Linux); bots' HTTP servers (aiohttp, uvicorn, ...) set TCP_NODELAY
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(threads);
        server.createContext(PATH, exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            received.incrementAndGet();
            if (!SECRET.equals(exchange.getRequestHeaders().getFirst("X-Telegram-Bot-Api-Secret-Token"))) {
                wrongSecret.incrementAndGet();
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, REPLY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(REPLY);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    long received() {
        return received.get();
    }

    long wrongSecret() {
        return wrongSecret.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
