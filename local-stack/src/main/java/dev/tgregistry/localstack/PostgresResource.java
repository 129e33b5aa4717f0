package dev.tgregistry.localstack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Quarkus test resource: one embedded PostgreSQL per JVM (temporary data directory, free port, database
 * {@value #DATABASE}), shared by every test class and test profile that uses this resource; its use and the
 * configuration it returns: local-stack/README.md.
 *
 * <p>Sharing: Quarkus may load this class in several class loaders (one per application/test profile), so the
 * running server is published in JVM-wide system properties ({@code local-stack.postgres.*}) and every copy
 * reuses it. {@link #stop()} deliberately leaves the server running; it is stopped by a JVM shutdown hook when
 * the test JVM exits (no postmaster is left behind).
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE = "users";

    static final String PROP_PORT = "local-stack.postgres.port";
    static final String PROP_DATABASE = "local-stack.postgres.database";
    /** Interned string literal: the same monitor in every class loader of this JVM. */
    private static final String LOCK = "dev.tgregistry.localstack.PostgresResource#lock";

    private static LocalPostgres started; // strong reference in the class loader that started it

    @Override
    public Map<String, String> start() {
        ensureStarted();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.jdbc.url", jdbcUrl());
        config.put("quarkus.datasource.reactive.url", reactiveUrl());
        config.put("quarkus.datasource.username", username());
        config.put("quarkus.datasource.password", password());
        config.put("quarkus.datasource.devservices.enabled", "false");
        return config;
    }

    @Override
    public void stop() {
        // shared per JVM: stopped by LocalPostgres' shutdown hook at JVM exit
    }

    /** Starts the shared server unless this JVM already has one; returns its port. */
    public static int ensureStarted() {
        synchronized (LOCK) {
            String port = System.getProperty(PROP_PORT);
            if (port != null) {
                return Integer.parseInt(port);
            }
            LocalPostgres pg = LocalPostgres.start(0, null, DATABASE);
            started = pg;
            System.setProperty(PROP_DATABASE, pg.database());
            System.setProperty(PROP_PORT, Integer.toString(pg.port()));
            return pg.port();
        }
    }

    /** Port of the shared server (starting it if needed). */
    public static int port() {
        return ensureStarted();
    }

    /** {@code jdbc:postgresql://localhost:PORT/users}. */
    public static String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + database();
    }

    /** {@code postgresql://localhost:PORT/users}. */
    public static String reactiveUrl() {
        return "postgresql://localhost:" + port() + "/" + database();
    }

    public static String database() {
        ensureStarted();
        return System.getProperty(PROP_DATABASE, DATABASE);
    }

    public static String username() {
        return LocalPostgres.USERNAME;
    }

    public static String password() {
        return LocalPostgres.PASSWORD;
    }
}
