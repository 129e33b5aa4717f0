package dev.tgregistry.users.adoption;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.StackStarter;
import dev.tgregistry.localstack.PackagedService;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.localstack.ServiceEnv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The packaged user-service ({@code target/quarkus-app}) run as a real child process ({@link PackagedService})
 * against a database of the test's choosing, with the API key {@value #API_KEY}; its log goes to
 * {@code target/it-logs/}.
 */
final class ServiceProcess implements AutoCloseable {
    static final String API_KEY = "it-api-key";
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final PackagedService service;
    final int port;
    final int managementPort;

    private ServiceProcess(PackagedService service) {
        this.service = service;
        this.port = service.port();
        this.managementPort = service.managementPort();
    }

    /** Starts the service on a fresh port against {@code database} on the shared test PostgreSQL. */
    static ServiceProcess start(String name, String database, Map<String, String> extraEnv) {
        return start(name, PostgresResource.port(), database, extraEnv);
    }

    /** Starts the service on a fresh port against {@code database} on the PostgreSQL at {@code pgPort}. */
    static ServiceProcess start(String name, int pgPort, String database, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(StackStarter.userServiceEnv(ServiceEnv.database(pgPort, database,
                PostgresResource.username(), PostgresResource.password()), KafkaResource.bootstrapServers(),
                API_KEY + ":read+write+erase+admin", StackStarter.DEFAULT_CURSOR_KEYS));
        env.putAll(extraEnv);
        try {
            return new ServiceProcess(PackagedService.builder("user-service", JAR)
                    .ports(freePort(), freePort())
                    .env(env)
                    .logFile(Path.of("target", "it-logs", name + "-" + System.nanoTime() + ".log"))
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until /q/health/ready (management port) answers 200; fails with the service log if the process exits first. */
    ServiceProcess awaitReady(Duration timeout) {
        try {
            service.awaitReady(timeout);
            return this;
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + ":\n" + log(), e);
        }
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitExit(Duration timeout) {
        try {
            return service.awaitExit(timeout);
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + ":\n" + log(), e);
        }
    }

    /** GET on the API port, with the API key. */
    HttpResponse<String> get(String path) {
        return send(port, path);
    }

    /** GET on the management port (health, metrics). */
    HttpResponse<String> management(String path) {
        return send(managementPort, path);
    }

    private HttpResponse<String> send(int toPort, String path) {
        return send(request(toPort, path).timeout(Duration.ofSeconds(10)).build());
    }

    /** A JSON Merge Patch with the test key. */
    HttpResponse<String> patch(String path, String json) {
        return send(request(port, path).header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(10)).build());
    }

    /** A PATCH with a JSON body, with the test key. */
    HttpResponse<String> patchJson(String path, String json) {
        return send(request(port, path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(10)).build());
    }

    /** A POST without a body, with the test key. */
    HttpResponse<String> post(String path) {
        return send(request(port, path).POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build());
    }

    private static HttpRequest.Builder request(int toPort, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + toPort + path)).header("Authorization", "Bearer " + API_KEY);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: the service dies mid-work, as on an OOM kill or a node failure. */
    void kill() {
        service.kill();
    }

    String log() {
        return service.logText();
    }

    /** Sends SIGTERM and returns how long the process took to exit (at most {@code limit}, then it is killed). */
    Duration terminate(Duration limit) {
        return service.stop(limit).duration();
    }

    /** Stops the service the way Kubernetes does (SIGTERM) and waits for a clean exit (30 s, then it is killed). */
    @Override
    public void close() {
        service.close();
    }

    static String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + PostgresResource.port() + "/" + database;
    }

    /** A connection as the bot makes it (its tables in public). */
    static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), PostgresResource.username(), PostgresResource.password());
    }

    /** A connection that sees the registry's tables as user-service does. */
    static Connection connectRegistry(String database) throws SQLException {
        return DriverManager.getConnection(ServiceEnv.registryJdbcUrl(jdbcUrl(database)), PostgresResource.username(),
                PostgresResource.password());
    }

    /** Drops and creates a database on the shared test server. */
    static void freshDatabase(String database) {
        try (Connection admin = connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
