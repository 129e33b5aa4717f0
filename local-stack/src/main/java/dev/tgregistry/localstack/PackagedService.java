package dev.tgregistry.localstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged service ({@code <module>/target/quarkus-app/quarkus-run.jar}) run as a child process: the one way the
 * launcher ({@link LocalRun}), the benchmarks and the ITs start, wait for and stop a service.
 *
 * <p>The child inherits this process's environment, then gets {@link Builder#envDefaults} where that environment
 * lacks them, then its ports ({@code QUARKUS_HTTP_PORT}, {@code QUARKUS_MANAGEMENT_PORT}) and {@link Builder#env}
 * (which win). Its output (stdout and stderr) goes to a log file ({@link Builder#logFile}, appended to) or is echoed
 * line by line with a {@code [name] } prefix ({@link Builder#echoTo}). {@link #stop(Duration)} sends SIGTERM (Quarkus
 * shuts down gracefully), waits the grace period, then kills.
 */
public final class PackagedService implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final int port;
    private final int managementPort;
    private final Process process;
    private final Path log;

    private PackagedService(String name, int port, int managementPort, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
        this.log = log;
    }

    /** {@code jar}: the service's {@code quarkus-run.jar} (relative paths resolve against the working directory). */
    public static Builder builder(String name, Path jar) {
        return new Builder(name, jar);
    }

    public static final class Builder {
        private final String name;
        private final Path jar;
        private Path workDir;
        private List<String> jvmOptions = List.of();
        private final Map<String, String> envDefaults = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private int port;
        private int managementPort;
        private Path logFile;
        private PrintStream echo;

        private Builder(String name, Path jar) {
            this.name = name;
            this.jar = jar;
        }

        public String name() {
            return name;
        }

        /** The child's working directory; default: this process's. */
        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** Space-separated JVM options before {@code -jar}; blank for none. */
        public Builder jvmOptions(String options) {
            String trimmed = options == null ? "" : options.trim();
            this.jvmOptions = trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
            return this;
        }

        /** Set only where the inherited environment has no value. */
        public Builder envDefaults(Map<String, String> values) {
            envDefaults.putAll(values);
            return this;
        }

        /** Set whatever the inherited environment holds. */
        public Builder env(Map<String, String> values) {
            env.putAll(values);
            return this;
        }

        /** The API port and the management port (health, metrics). */
        public Builder ports(int httpPort, int managementPort) {
            this.port = httpPort;
            this.managementPort = managementPort;
            return this;
        }

        /** Output appended to this file (its directory is created). */
        public Builder logFile(Path file) {
            this.logFile = file;
            return this;
        }

        /** Output echoed to {@code out}, each line prefixed with {@code [name] }. */
        public Builder echoTo(PrintStream out) {
            this.echo = out;
            return this;
        }

        public PackagedService start() throws IOException {
            if (!Files.isRegularFile(workDir == null ? jar : workDir.resolve(jar))) {
                throw new IllegalStateException(jar + " not found; build first: ./mvnw -B -q install -DskipTests");
            }
            ProcessBuilder pb = new ProcessBuilder(command()).redirectErrorStream(true);
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            Map<String, String> childEnv = pb.environment();
            envDefaults.forEach(childEnv::putIfAbsent);
            if (port > 0) {
                childEnv.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            }
            if (managementPort > 0) {
                childEnv.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
            }
            childEnv.putAll(env);
            if (logFile != null) {
                if (logFile.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(logFile.toAbsolutePath().getParent());
                }
                pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            }
            Process p = pb.start();
            p.getOutputStream().close();
            PackagedService service = new PackagedService(name, port, managementPort, p, logFile);
            if (logFile == null) {
                Thread pump = new Thread(() -> service.pump(echo), name + "-output");
                pump.setDaemon(true);
                pump.start();
            }
            return service;
        }

        /** The command line {@link #start()} runs, for a log line. */
        public String commandLine() {
            return String.join(" ", command());
        }

        private List<String> command() {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmOptions);
            cmd.add("-jar");
            cmd.add(jar.toString());
            return cmd;
        }
    }

    private void pump(PrintStream out) {
        String prefix = "[" + name + "] ";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (out != null) {
                    synchronized (out) {
                        out.println(prefix + line);
                    }
                }
            }
        } catch (IOException e) {
            // process gone
        }
    }

    /** Waits until {@code /q/health/ready} on the management port answers 200 (database and Kafka checks included). */
    public PackagedService awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            requireAlive();
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return this;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            Util.sleep(250);
        }
        throw new IllegalStateException(name + " not ready within " + timeout.toSeconds() + " s: " + last + logHint());
    }

    /** Waits until the API port accepts connections (earlier than readiness: no database or Kafka check). */
    public PackagedService awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            requireAlive();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return this;
            } catch (IOException notYet) {
                Util.sleep(250);
            }
        }
        throw new IllegalStateException(name + " did not open port " + port + " within " + timeout.toSeconds() + " s"
                + logHint());
    }

    private void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited during start-up with code " + process.exitValue() + logHint());
        }
    }

    private String logHint() {
        return log == null ? "" : "; see " + log;
    }

    /** Waits for the process to end by itself and returns its exit code; fails if it still runs after {@code timeout}. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " still running after " + timeout + logHint());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How a {@link #stop(Duration)} went: the seconds until the process was gone, and whether it needed no SIGKILL. */
    public record StopResult(double seconds, boolean exitedOnItsOwn) {
        public Duration duration() {
            return Duration.ofNanos((long) (seconds * 1e9));
        }
    }

    /** SIGTERM, {@code grace} to exit, then SIGKILL (and up to 10 s more for the exit). */
    public StopResult stop(Duration grace) {
        return terminate(process, false, grace);
    }

    /** SIGKILL, and waits until the process is gone. */
    public StopResult kill() {
        return terminate(process, true, Duration.ofSeconds(10));
    }

    /** Stops with a 30 s grace. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    /**
     * SIGTERM (or SIGKILL when {@code kill}), wait up to {@code grace}, then SIGKILL; also for other child processes
     * (e.g. a Kafka broker run as a child).
     */
    public static StopResult terminate(Process p, boolean kill, Duration grace) {
        long t0 = System.nanoTime();
        if (!p.isAlive()) {
            return new StopResult(0, true);
        }
        if (kill) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
        boolean onItsOwn = false;
        try {
            onItsOwn = p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            if (!onItsOwn) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        return new StopResult((System.nanoTime() - t0) / 1e9, onItsOwn);
    }

    /** The log file's content, or a note why there is none. */
    public String logText() {
        if (log == null) {
            return "(output echoed, not kept)";
        }
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    /** Health and metrics. */
    public String managementUrl() {
        return "http://localhost:" + managementPort;
    }
}
