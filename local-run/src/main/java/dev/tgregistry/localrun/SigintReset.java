package dev.tgregistry.localrun;

import dev.tgregistry.localstack.Util;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link LocalRun} as a background job ({@code cmd &}) of a non-interactive shell: it starts with SIGINT ignored, so
 * it relaunches itself with SIGINT at its default.
 */
final class SigintReset {
    private SigintReset() {
    }

    static final String SIGINT_RESET_MARKER = "LOCAL_STACK_SIGINT_RESET";

    /**
     * A background job ({@code cmd &}) of a non-interactive shell starts with SIGINT ignored, and the JVM then
     * never sees it: {@code kill -INT} (e.g. a CI script stopping the launcher's process group) would do nothing.
     * Java cannot un-ignore a signal, so we detect it from /proc and relaunch ourselves through
     * {@code env --default-signal=INT}.
     */
    static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (mask & (1L << (2 - 1))) != 0; // SIGINT = 2
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return false;
    }

    static boolean envCanResetSigint() {
        return Util.exec(List.of("env", "--default-signal=INT", "true"), 10).exitCode() == 0;
    }

    /** Runs the same command line again with SIGINT at its default, waits for it and returns its exit code. */
    static int relaunchWithDefaultSigint() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT"));
        cmd.add(info.command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(Arrays.asList(info.arguments().orElseThrow()));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put(SIGINT_RESET_MARKER, "1");
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            System.err.println("[local-stack] relaunch with SIGINT enabled failed (" + e + "); stop with SIGTERM");
            return 1;
        }
        // SIGTERM/SIGHUP to this wrapper: pass it on; the exit code is then the child's
        for (String sig : List.of("TERM", "HUP")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> child.destroy());
            } catch (IllegalArgumentException | LinkageError e) {
                // the shutdown hook below still forwards
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (child.isAlive()) {
                child.destroy();
                try {
                    child.waitFor(90, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "local-run-forward"));
        while (true) {
            try {
                return child.waitFor();
            } catch (InterruptedException e) {
                // keep waiting
            }
        }
    }
}
