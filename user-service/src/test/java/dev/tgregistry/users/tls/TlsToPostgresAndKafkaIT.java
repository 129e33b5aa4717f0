package dev.tgregistry.users.tls;

import dev.tgregistry.localstack.KafkaSaslSsl;
import dev.tgregistry.localstack.LocalKafka;
import dev.tgregistry.localstack.LocalPostgres;
import dev.tgregistry.localstack.StackStarter;
import dev.tgregistry.localstack.PackagedService;
import dev.tgregistry.localstack.PostgresTls;
import dev.tgregistry.localstack.ServiceEnv;
import dev.tgregistry.localstack.ThrowAwayCa;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged services with production's TLS settings, exactly the variables docs/OPERATIONS.md ("TLS to PostgreSQL
 * and Kafka") gives ({@link ServiceEnv#databaseVerifyFull}, {@link ServiceEnv#kafkaSaslSsl}), against a PostgreSQL that
 * accepts TLS connections only and a broker whose only client listener is SASL_SSL with SCRAM-SHA-512, both with
 * certificates of a CA made for this run (trusted through a file that holds another CA too, as during a rotation):
 * an update posted to bot-ingest reaches user-service's database, every
 * connection of the service is encrypted, plaintext is refused by both servers, and a wrong CA, a host name the
 * certificate does not name and a wrong SCRAM password each fail where an SRE looks: user-service exits at start-up
 * with the TLS error in its log (a wrong CA for the reactive pool alone: not ready, the error in the health answer);
 * bot-ingest logs the authentication failure and answers 503 (its readiness stays UP:
 * the connector's check counts the broker connection, which exists while authentication fails).
 */
class TlsToPostgresAndKafkaIT {
    private static final Path USER_SERVICE_JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path BOT_INGEST_JAR = Path.of("..", "bot-ingest", "target", "quarkus-app", "quarkus-run.jar");
    private static final String DATABASE = "users";
    private static final String API_KEY = "tls-it-key";
    private static final String INGEST_SECRET = "tls-it-ingest-secret";
    private static final Duration START = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Path dir;
    private static Path caFile;
    private static Path otherCaFile;
    /** Another CA's certificate, then the servers' CA: the trust file of a CA rotation's first step. */
    private static Path caBundle;
    private static LocalPostgres postgres;
    private static KafkaSaslSsl kafkaSecurity;
    private static LocalKafka kafka;
    private static final Map<String, String> SCRAM_USERS = Map.of(
            "user-service", ThrowAwayCa.randomPassword(), "bot-ingest", ThrowAwayCa.randomPassword());

    @BeforeAll
    static void startServers() throws IOException {
        dir = Files.createDirectories(Path.of("target", "tls-it-" + System.nanoTime()).toAbsolutePath());
        ThrowAwayCa ca = ThrowAwayCa.create("tg-registry test CA");
        caFile = ca.writeCertificate(dir.resolve("ca.crt"));
        otherCaFile = ThrowAwayCa.create("some other CA").writeCertificate(dir.resolve("other-ca.crt"));
        caBundle = Files.writeString(dir.resolve("ca-bundle.crt"), Files.readString(otherCaFile) + Files.readString(caFile));
        postgres = LocalPostgres.start(0, null, DATABASE, PostgresTls.settings(ca, dir));
        kafkaSecurity = KafkaSaslSsl.create(ca, dir, SCRAM_USERS);
        kafka = LocalKafka.startSaslSsl(0, null, kafkaSecurity);
    }

    @AfterAll
    static void stopServers() {
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void anUpdatePostedToBotIngestReachesTheDatabaseOverTlsAndSaslSslOnly() throws Exception {
        try (PackagedService userService = userService("user-service", PostgresTls.HOST_NAME, caBundle, SCRAM_USERS.get("user-service"));
             PackagedService botIngest = botIngest("bot-ingest", SCRAM_USERS.get("bot-ingest"))) {
            userService.awaitReady(START);
            botIngest.awaitReady(START);

            long user = 7_240_001L;
            HttpResponse<String> posted = send(HttpRequest.newBuilder(URI.create(botIngest.baseUrl() + "/telegram/updates"))
                    .header("X-Telegram-Bot-Api-Secret-Token", INGEST_SECRET).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(update(user))));
            assertEquals(202, posted.statusCode(), posted.body());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> registryHasUser(user));
            HttpResponse<String> read = send(HttpRequest.newBuilder(URI.create(userService.baseUrl() + "/api/users/" + user))
                    .header("Authorization", "Bearer " + API_KEY));
            assertEquals(200, read.statusCode(), read.body());

            List<String> connections = serviceConnections();
            assertFalse(connections.isEmpty(), "user-service holds connections to its database");
            assertTrue(connections.stream().allMatch(c -> c.startsWith("ssl")), "every connection is encrypted: " + connections);
        }
    }

    @Test
    void postgresRefusesPlaintextAndKafkaOffersNoPlaintextListener() throws Exception {
        SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + postgres.port() + "/" + DATABASE + "?sslmode=disable",
                postgres.username(), postgres.password()).close());
        assertTrue(refused.getMessage().contains("no encryption"), refused.getMessage());

        try (Admin admin = Admin.create(kafkaSecurity.clientConfig(kafka.bootstrapServers(), "user-service",
                SCRAM_USERS.get("user-service")))) {
            for (Node node : admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)) {
                assertEquals(kafka.port(), node.port(), "the only endpoint advertised is the SASL_SSL listener");
            }
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(LocalKafka.NODE_ID));
            Config config = admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker);
            String protocols = config.get("listener.security.protocol.map").value();
            assertEquals(List.of(KafkaSaslSsl.LISTENER + ":SASL_SSL", LocalKafka.CONTROLLER_LISTENER + ":PLAINTEXT"),
                    List.of(protocols.split(",")), "no client listener without TLS and SASL (the controller's serves no data)");
        }
        Map<String, Object> plaintext = new HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000));
        try (Admin admin = Admin.create(plaintext)) {
            assertThrows(Exception.class, () -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS),
                    "a plaintext client gets nothing from the SASL_SSL listener");
        }
    }

    @Test
    void aWrongCaAnUnnamedHostAndAWrongScramPasswordFailWhereAnSreLooks() {
        // the misconfigured instances at once: each takes a JVM start, and they do not depend on each other
        try (PackagedService wrongCa = userService("wrong-ca", PostgresTls.HOST_NAME, otherCaFile, SCRAM_USERS.get("user-service"));
             PackagedService unnamedHost = userService("unnamed-host", "127.0.0.1", caFile, SCRAM_USERS.get("user-service"));
             PackagedService wrongReactiveCa = userService("wrong-reactive-ca", PostgresTls.HOST_NAME, caFile,
                     SCRAM_USERS.get("user-service"), Map.of("QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM_CERTS", otherCaFile.toString()));
             PackagedService wrongPassword = botIngest("wrong-scram-password", "not-" + SCRAM_USERS.get("bot-ingest"))) {

            assertNotEquals(0, wrongCa.awaitExit(START), "user-service must not start with a CA that did not sign the server's certificate");
            assertTrue(wrongCa.logText().contains("PKIX path building failed"), wrongCa.logText());

            assertNotEquals(0, unnamedHost.awaitExit(START), "verify-full: a host name the certificate does not name is refused");
            assertTrue(unnamedHost.logText().contains("could not be verified"), unnamedHost.logText());

            // Flyway (JDBC) trusts the right CA here, the reactive pool another: the pool checks the chain on its own
            wrongReactiveCa.awaitListening(START);
            HttpResponse<String> notReady = await().atMost(START).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> send(HttpRequest.newBuilder(URI.create(wrongReactiveCa.managementUrl() + "/q/health/ready"))),
                            answered -> true); // the management port may open a moment after the API port
            assertEquals(503, notReady.statusCode(), "the reactive pool refused the server's certificate: " + notReady.body());
            assertTrue(notReady.body().contains("down - connection failed: SSL handshake failed"), notReady.body());

            wrongPassword.awaitListening(START);
            await().atMost(START).pollInterval(Duration.ofMillis(250))
                    .until(() -> wrongPassword.logText().contains("Authentication failed during authentication due to invalid credentials"));
            HttpResponse<String> posted = send(HttpRequest.newBuilder(URI.create(wrongPassword.baseUrl() + "/telegram/updates"))
                    .header("X-Telegram-Bot-Api-Secret-Token", INGEST_SECRET).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(update(7_240_002L))));
            assertEquals(503, posted.statusCode(), "nothing is acknowledged without Kafka: " + posted.body());
        }
    }

    /** user-service reaching PostgreSQL as {@code host} with verify-full against {@code ca}, and Kafka as its SCRAM user. */
    private static PackagedService userService(String name, String host, Path ca, String scramPassword) {
        return userService(name, host, ca, scramPassword, Map.of());
    }

    private static PackagedService userService(String name, String host, Path ca, String scramPassword, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(StackStarter.userServiceEnv(Map.of(
                ServiceEnv.DB_JDBC_URL, "jdbc:postgresql://" + host + ":" + postgres.port() + "/" + DATABASE,
                ServiceEnv.DB_REACTIVE_URL, "postgresql://" + host + ":" + postgres.port() + "/" + DATABASE,
                ServiceEnv.DB_USER, postgres.username(),
                ServiceEnv.DB_PASSWORD, postgres.password()),
                kafka.bootstrapServers(), API_KEY + ":read", StackStarter.DEFAULT_CURSOR_KEYS));
        env.putAll(ServiceEnv.databaseVerifyFull(ca));
        env.putAll(ServiceEnv.kafkaSaslSsl(kafka.bootstrapServers(), "user-service", scramPassword, caBundle));
        env.putAll(extra);
        return start(name, USER_SERVICE_JAR, env);
    }

    private static PackagedService botIngest(String name, String scramPassword) {
        Map<String, String> env = new HashMap<>(ServiceEnv.kafkaSaslSsl(kafka.bootstrapServers(), "bot-ingest", scramPassword,
                caBundle));
        env.put(ServiceEnv.APP_INGEST_SECRET, INGEST_SECRET);
        return start(name, BOT_INGEST_JAR, env);
    }

    private static PackagedService start(String name, Path jar, Map<String, String> env) {
        try {
            return PackagedService.builder(name, jar).ports(freePort(), freePort()).env(env)
                    .logFile(Path.of("target", "it-logs", "tls-" + name + "-" + System.nanoTime() + ".log")).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Over TLS with verify-full, as the service connects. */
    private static Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + PostgresTls.HOST_NAME + ":" + postgres.port() + "/" + DATABASE
                + "?sslmode=verify-full&sslrootcert=" + caFile, postgres.username(), postgres.password());
    }

    private static boolean registryHasUser(long user) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT 1 FROM registry.users WHERE user_id = ?")) {
            ps.setLong(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** "ssl TLSv1.3" or "plain" for each client connection to the database other than this one. */
    private static List<String> serviceConnections() throws SQLException {
        List<String> connections = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT s.ssl, s.version FROM pg_stat_activity a"
                + " JOIN pg_stat_ssl s ON s.pid = a.pid WHERE a.datname = ? AND a.backend_type = 'client backend'"
                + " AND a.pid <> pg_backend_pid()")) {
            ps.setString(1, DATABASE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    connections.add(rs.getBoolean(1) ? "ssl " + rs.getString(2) : "plain");
                }
            }
        }
        return connections;
    }

    private static String update(long user) {
        return "{\"update_id\":" + user + ",\"message\":{\"message_id\":1,\"from\":{\"id\":" + user + ",\"is_bot\":false,"
                + "\"first_name\":\"Tls\",\"username\":\"tls_" + user + "\"},\"chat\":{\"id\":" + user + ",\"type\":\"private\"},"
                + "\"date\":" + System.currentTimeMillis() / 1000 + ",\"text\":\"/start\"}}";
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
