package dev.tgregistry.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The services' environment in the names README "Configuration" documents (the ones production, docker-compose and
 * k8s/ use; application.properties reads them as {@code ${DB_JDBC_URL:…}} etc.), for everything here that starts a
 * service: the launcher, the benchmarks and the ITs.
 */
public final class ServiceEnv {
    public static final String DB_JDBC_URL = "DB_JDBC_URL";
    public static final String DB_REACTIVE_URL = "DB_REACTIVE_URL";
    public static final String DB_USER = "DB_USER";
    public static final String DB_PASSWORD = "DB_PASSWORD";
    public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    /** TLS to PostgreSQL, both clients (docs/OPERATIONS.md, "TLS to PostgreSQL and Kafka"). */
    public static final String DB_SSL_MODE = "DB_SSL_MODE";
    public static final String DB_SSL_ROOT_CERT = "DB_SSL_ROOT_CERT";
    /** TLS and SASL to Kafka, every client of both services. */
    public static final String KAFKA_SECURITY_PROTOCOL = "KAFKA_SECURITY_PROTOCOL";
    public static final String KAFKA_SASL_MECHANISM = "KAFKA_SASL_MECHANISM";
    public static final String KAFKA_SASL_JAAS_CONFIG = "KAFKA_SASL_JAAS_CONFIG";
    public static final String KAFKA_SSL_TRUSTSTORE_TYPE = "KAFKA_SSL_TRUSTSTORE_TYPE";
    public static final String KAFKA_SSL_TRUSTSTORE_LOCATION = "KAFKA_SSL_TRUSTSTORE_LOCATION";
    public static final String APP_API_KEYS = "APP_API_KEYS";
    public static final String APP_CURSOR_KEYS = "APP_CURSOR_KEYS";
    public static final String APP_INGEST_SECRET = "APP_INGEST_SECRET";

    /** The schema user-service keeps its tables in, beside a bot's tables in {@code public}. */
    public static final String REGISTRY_SCHEMA = "registry";

    private ServiceEnv() {
    }

    /** {@code jdbcUrl} (without parameters) for a client that reads the registry's tables as user-service does. */
    public static String registryJdbcUrl(String jdbcUrl) {
        return jdbcUrl + "?currentSchema=" + REGISTRY_SCHEMA + ",public";
    }

    /** user-service's database settings for {@code database} on the PostgreSQL at localhost:{@code pgPort}. */
    public static Map<String, String> database(int pgPort, String database, String user, String password) {
        return Map.of(
                DB_JDBC_URL, "jdbc:postgresql://localhost:" + pgPort + "/" + database,
                DB_REACTIVE_URL, "postgresql://localhost:" + pgPort + "/" + database,
                DB_USER, user,
                DB_PASSWORD, password);
    }

    /** user-service's database settings for the database {@code postgres} was started with. */
    public static Map<String, String> database(LocalPostgres postgres) {
        return Map.of(
                DB_JDBC_URL, postgres.jdbcUrl(),
                DB_REACTIVE_URL, postgres.reactiveUrl(),
                DB_USER, postgres.username(),
                DB_PASSWORD, postgres.password());
    }

    public static Map<String, String> kafka(String bootstrapServers) {
        return Map.of(KAFKA_BOOTSTRAP_SERVERS, bootstrapServers);
    }

    /** TLS to PostgreSQL as production runs it: the server certificate checked against {@code caFile} and the host name. */
    public static Map<String, String> databaseVerifyFull(Path caFile) {
        return Map.of(DB_SSL_MODE, "verify-full", DB_SSL_ROOT_CERT, caFile.toAbsolutePath().toString());
    }

    /** Kafka over SASL_SSL with SCRAM-SHA-512 as {@code user}, the brokers' certificates checked against {@code caFile}. */
    public static Map<String, String> kafkaSaslSsl(String bootstrapServers, String user, String password, Path caFile) {
        return Map.of(
                KAFKA_BOOTSTRAP_SERVERS, bootstrapServers,
                KAFKA_SECURITY_PROTOCOL, KafkaSaslSsl.LISTENER,
                KAFKA_SASL_MECHANISM, KafkaSaslSsl.MECHANISM,
                KAFKA_SASL_JAAS_CONFIG, KafkaSaslSsl.jaasConfig(user, password),
                KAFKA_SSL_TRUSTSTORE_TYPE, "PEM",
                KAFKA_SSL_TRUSTSTORE_LOCATION, caFile.toAbsolutePath().toString());
    }

    /**
     * The services' JVM options: the parent pom's {@code service.java-options} (their one definition, which the
     * images use too), through the resource {@code service-jvm.properties} filtered from it.
     */
    static String jvmOptions() {
        Properties p = new Properties();
        try (InputStream in = ServiceEnv.class.getResourceAsStream("/service-jvm.properties")) {
            if (in == null) {
                throw new IllegalStateException("service-jvm.properties missing from local-stack's classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("java-options").trim();
    }
}
