package dev.tgregistry.users.adoption;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged user-service ({@code target/quarkus-app}) run as a real child process against a database of the test's choosing. */
final class ServiceProcess implements AutoCloseable {
    static final String API_KEY = "it-api-key";
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final Path log;
    final int port;
    final int managementPort;

    private ServiceProcess(Process process, Path log, int port, int managementPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Starts the service on a fresh port against {@code database} on the shared test PostgreSQL. */
    static ServiceProcess start(String name, String database, Map<String, String> extraEnv) {
        return start(name, PostgresResource.port(), database, extraEnv);
    }

    /** Starts the service on a fresh port against {@code database} on the PostgreSQL at {@code pgPort}. */
    static ServiceProcess start(String name, int pgPort, String database, Map<String, String> extraEnv) {
        int port = freePort();
        int managementPort = freePort();
        Path log = Path.of("target", "it-logs", name + "-" + System.nanoTime() + ".log");
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-jar", JAR.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = new HashMap<>(Map.of(
                    "QUARKUS_HTTP_PORT", Integer.toString(port),
                    "QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort),
                    "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + pgPort + "/" + database,
                    "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + pgPort + "/" + database,
                    "QUARKUS_DATASOURCE_USERNAME", PostgresResource.username(),
                    "QUARKUS_DATASOURCE_PASSWORD", PostgresResource.password(),
                    "KAFKA_BOOTSTRAP_SERVERS", KafkaResource.bootstrapServers(),
                    "APP_API_KEYS", API_KEY));
            env.putAll(extraEnv);
            builder.environment().putAll(env);
            return new ServiceProcess(builder.start(), log, port, managementPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until /q/health/ready (management port) answers 200; fails with the service log if the process exits first. */
    ServiceProcess awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("user-service exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (management("/q/health/ready").statusCode() == 200) {
                    return this;
                }
            } catch (UncheckedIOException notListeningYet) {
                // still starting
            }
            sleep(250);
        }
        throw new AssertionError("user-service not ready within " + timeout + ":\n" + log());
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("user-service still running after " + timeout + ":\n" + log());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + toPort + path))
                .header("Authorization", "Bearer " + API_KEY).timeout(Duration.ofSeconds(10)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A JSON Merge Patch with the test key. */
    HttpResponse<String> patch(String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(10)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Sends SIGTERM and returns how long the process took to exit (at most {@code limit}, then it is killed). */
    Duration terminate(Duration limit) {
        Instant start = Instant.now();
        process.destroy();
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Duration.between(start, Instant.now());
    }

    /** Stops the service the way Kubernetes does (SIGTERM) and waits for a clean exit. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + PostgresResource.port() + "/" + database;
    }

    static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), PostgresResource.username(), PostgresResource.password());
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

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
