package dev.tgregistry.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;

/** Shared helpers: options, logging, histograms, the commit and machine lines of a report ({@link Report} writes it). */
public final class Bench {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private Bench() {
    }

    public static void log(String message) {
        synchronized (System.out) {
            System.out.println("[bench " + TIME.format(Instant.now()) + "] " + message);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Asks {@code done} every {@code pollMs} until it holds (true) or {@code timeoutMs} have passed (false). */
    public static boolean await(BooleanSupplier done, long timeoutMs, long pollMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            sleep(pollMs);
        }
        return true;
    }

    /** Makes daemon threads named {@code name}: a benchmark's helpers never keep its JVM alive. */
    public static ThreadFactory daemons(String name) {
        return task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** A daemon thread running {@code task}, started. */
    public static Thread daemon(String name, Runnable task) {
        Thread t = daemons(name).newThread(task);
        t.start();
        return t;
    }

    /** Waits up to {@code millis} for {@code t} to end. */
    public static void join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code cp -a}: keeps the modes, which PostgreSQL insists on for its data directory (0700). */
    public static void copyTree(Path from, Path to) throws IOException {
        try {
            Process p = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("cp -a " + from + " " + to + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Latency histogram in microseconds, 1 µs .. 10 min, 3 significant digits. */
    public static Histogram histogram() {
        return new Histogram(1, 600_000_000L, 3);
    }

    public static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    public static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    public static String passMiss(boolean pass) {
        return pass ? "PASS" : "MISS";
    }

    // ------------------------------------------------------------------------------------------ options

    /** {@code --name value}, {@code --name=value} and bare {@code --flag}; unknown names are an error. */
    public static final class Args {
        private final Map<String, String> values = new HashMap<>();
        private final List<String> known = new ArrayList<>();
        private final String usage;

        public Args(String[] args, String usage, String... flags) {
            this.usage = usage;
            List<String> flagList = List.of(flags);
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    System.out.println(usage);
                    System.exit(0);
                }
                if (!a.startsWith("--")) {
                    fail("unexpected argument: " + a);
                }
                int eq = a.indexOf('=');
                String name = eq > 0 ? a.substring(2, eq) : a.substring(2);
                String value;
                if (eq > 0) {
                    value = a.substring(eq + 1);
                } else if (flagList.contains(name)) {
                    value = "true";
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    fail("--" + name + " needs a value");
                    return;
                }
                values.put(name, value);
            }
        }

        public String string(String name, String def) {
            known.add(name);
            return values.getOrDefault(name, def);
        }

        public long number(String name, long def) {
            known.add(name);
            String v = values.get(name);
            if (v == null) {
                return def;
            }
            try {
                return Long.parseLong(v.replace("_", "").replace(",", ""));
            } catch (NumberFormatException e) {
                fail("--" + name + ": not a number: " + v);
                return def;
            }
        }

        public int integer(String name, int def) {
            return Math.toIntExact(number(name, def));
        }

        public boolean flag(String name) {
            known.add(name);
            return Boolean.parseBoolean(values.getOrDefault(name, "false"));
        }

        /** Call after reading every option: rejects the ones nobody asked for. */
        public void done() {
            for (String name : values.keySet()) {
                if (!known.contains(name)) {
                    fail("unknown option --" + name);
                }
            }
        }

        private void fail(String message) {
            System.err.println(message);
            System.err.println(usage);
            System.exit(2);
        }
    }

    /** The commit being measured: {@code git describe}-like short hash, "+ local changes" when the tree is dirty. */
    public static String commit(Path root) {
        try {
            // the newest commit that touched what is measured (not the benchmark itself)
            Process p = new ProcessBuilder("git", "log", "-1", "--format=%h %s", "--", ".", ":!bench", ":!BENCHMARKS.md")
                    .directory(root.toFile()).redirectErrorStream(true).start();
            String head = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            Process d = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench", ":!BENCHMARKS.md", ":!pom.xml")
                    .directory(root.toFile()).redirectErrorStream(true).start();
            String dirty = new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            d.waitFor();
            if (p.exitValue() != 0) {
                return System.getProperty("bench.commit", "unknown (not a git work tree)");
            }
            if (head.length() > 90) {
                head = head.substring(0, 90) + "…";
            }
            return "`" + head + "`" + (dirty.isEmpty() ? "" : " + uncommitted changes");
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** /proc/loadavg's 1, 5 and 15 minute load averages as "1.20 / 0.80 / 0.50" ("?" where there is none). */
    public static String loads() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    public static String loadAverage() {
        return "load average " + loads().replace(" / ", ", ");
    }

    /** One line describing the machine, for the report. */
    public static String machine() {
        String cpu = "?";
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    cpu = l.substring(l.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        long memMb = 0;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    memMb = Long.parseLong(l.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " CPUs (" + cpu + "), " + memMb + " MB RAM, Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }
}
