package dev.tgregistry.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small helpers shared by the local-stack classes. Only JDK classes are used here on purpose: some of
 *  these run from JVM shutdown hooks, possibly after a Quarkus class loader was closed. */
public final class Util {

    private Util() {
    }

    /** A port that was free a moment ago on the loopback interface. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free TCP port", e);
        }
    }

    /** Whether {@code port} can be bound on 127.0.0.1 right now. */
    static boolean portIsFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Fails at once when something listens on {@code port}; waits up to {@link #PORT_RELEASE_WAIT_MS} when the port
     * is only held by a socket nobody accepts on: a fixed port such as 55432 lies in Linux's ephemeral range, so a
     * client connection of another process may hold it as its local port for a while.
     */
    static void requirePortFree(int port, String what) {
        if (port == 0) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PORT_RELEASE_WAIT_MS);
        while (!portIsFree(port)) {
            if (someoneListens(port) || System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": port " + port + " on 127.0.0.1 is already in use"
                        + " (another local stack still running? check with `ss -tanp | grep :" + port + "`)");
            }
            sleep(200);
        }
    }

    static final long PORT_RELEASE_WAIT_MS = 60_000;

    static boolean someoneListens(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Deletes a file or directory tree; missing paths are fine. Never throws. */
    public static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("[local-stack] could not delete " + root + ": " + e);
        }
    }

    /** Effective uid of this process from /proc (Linux), or -1 when unknown. */
    static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return Integer.parseInt(f[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux or /proc not mounted
        }
        return "root".equals(System.getProperty("user.name")) ? 0 : -1;
    }

    /** Result of a short external command. */
    public record Exec(int exitCode, String output) {
    }

    /** Runs a short command, merging stderr into stdout; exit code -1 if it could not be started/finished. */
    public static Exec exec(List<String> command, long timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Exec(-1, "timed out after " + timeoutSeconds + "s");
            }
            return new Exec(p.exitValue(), new String(out, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return new Exec(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exec(-1, "interrupted");
        }
    }

    /** Last {@code maxLines} lines of a text file, or "" if unreadable. */
    static String tail(Path file, int maxLines) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Registers a shutdown hook unless the JVM is already shutting down. */
    static boolean addShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }

    /** Removes a shutdown hook; a no-op while the JVM is shutting down (the hook is then running or done). */
    static void removeShutdownHook(Thread hook) {
        if (hook == null || Thread.currentThread() == hook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // fine
        }
    }

    /** The exception and, when it has one, its innermost cause: what a start-up or admin failure message needs. */
    static String rootMessage(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r == t ? String.valueOf(t) : t + " (cause: " + r + ")";
    }
}
