package dev.tgregistry.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * {@link LocalPostgres}'s process handling around a data directory: whether PostgreSQL can run here, whether a
 * persistent directory is usable (and an orphaned postmaster on it stopped), starting a server (cut short when
 * pg_ctl fails) and stopping a postmaster by pid. JDK classes only where shutdown hooks call in.
 */
final class Postmaster {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
    static final String CONF_FILE = "postgresql.conf";
    private static final String LOCK_FILE = "epg-lock"; // zonky's per-data-dir lock
    private static final String PID_FILE = "postmaster.pid";

    private Postmaster() {
    }

    static void checkCanRunPostgres() {
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
    static void prepareExistingDataDir(Path data) throws IOException {
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

    static long readPostmasterPid(Path data) {
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

    /** Starts a server on {@code data} (created when new), its output appended to {@code log}. */
    static EmbeddedPostgres launch(int port, Path data, Path log, Map<String, String> settings, String ctype)
            throws IOException {
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                .setPgBinaryResolver(PostgresBundle.resolver())
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
                Util.sleep(100);
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
}
