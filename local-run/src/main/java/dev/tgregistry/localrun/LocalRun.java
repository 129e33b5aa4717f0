package dev.tgregistry.localrun;

import dev.tgregistry.localstack.ServiceEnv;
import dev.tgregistry.localstack.PackagedService;
import dev.tgregistry.localstack.StackStarter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the whole system on this machine without Docker: PostgreSQL, Kafka and the packaged services as child
 * processes, through {@link StackStarter}, with local conveniences ({@link StackStarter#LOCAL_CONVENIENCES}). Ports,
 * data, stopping and the SIGINT relaunch: local-stack/README.md, "Running everything locally"; options:
 * {@link LocalRunOptions#USAGE}.
 */
public final class LocalRun {
    private static final PrintStream OUT = System.out;
    private static final Duration CHILD_READY_TIMEOUT = Duration.ofSeconds(180);

    private final LocalRunOptions options;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final StackStarter stack;
    private boolean tornDown;

    private LocalRun(LocalRunOptions options) {
        this.options = options;
        this.stack = new StackStarter(options.root(),
                System.getProperty("local-stack.child-jvm-opts", StackStarter.SERVICE_JVM_OPTS),
                message -> OUT.println("[local-stack] " + message));
    }

    public static void main(String[] args) {
        LocalRunOptions options;
        try {
            options = LocalRunOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("local-stack: " + e.getMessage());
            System.err.println(LocalRunOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            OUT.println(LocalRunOptions.USAGE);
            return;
        }
        if (SigintReset.sigintIgnored()) {
            if (System.getenv(SigintReset.SIGINT_RESET_MARKER) == null && SigintReset.envCanResetSigint()
                    && ProcessHandle.current().info().arguments().isPresent()) {
                System.exit(SigintReset.relaunchWithDefaultSigint());
                return;
            }
            System.err.println("[local-stack] note: SIGINT is ignored by this process (background job of a"
                    + " non-interactive shell?); stop it with SIGTERM");
        }
        new LocalRun(options).run();
    }

    private void run() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::teardown, "local-run-shutdown"));
        installSignalHandler("INT");
        installSignalHandler("TERM");

        Path dataDir = options.dataDir();
        Path root = options.root();
        Path userServiceJar = root.resolve(System.getProperty("local-stack.user-service.jar",
                "user-service/target/quarkus-app/quarkus-run.jar")).normalize();
        Path botIngestJar = root.resolve(System.getProperty("local-stack.bot-ingest.jar",
                "bot-ingest/target/quarkus-app/quarkus-run.jar")).normalize();
        if (!options.noServices) {
            List<String> missing = new ArrayList<>();
            for (Path jar : List.of(userServiceJar, botIngestJar)) {
                if (!Files.isRegularFile(jar)) {
                    missing.add(jar.toString());
                }
            }
            if (!missing.isEmpty()) {
                fail("service jar(s) not found: " + String.join(", ", missing)
                        + System.lineSeparator() + "  build them first: ./mvnw -B package -DskipTests"
                        + " (from the repository root; or pass --root DIR, or run with --no-services)");
                return;
            }
        }

        try {
            OUT.println("[local-stack] starting PostgreSQL on port " + options.pgPort + " (data " + dataDir.resolve("postgres") + ")");
            stack.startPostgres(options.pgPort, dataDir.resolve("postgres"), Map.of())
                    .removeShutdownHook(); // stopped by teardown(), after the children
            OUT.println("[local-stack] starting Kafka on port " + options.kafkaPort + " (data " + dataDir.resolve("kafka") + ")");
            stack.startKafka(options.kafkaPort, dataDir.resolve("kafka")).removeShutdownHook();
        } catch (RuntimeException e) {
            fail(e.getMessage());
            return;
        }
        if (stopping.get()) {
            awaitStop();
            return;
        }

        String userServiceApiKeys = null;
        String ingestSecret = null;
        if (!options.noServices) {
            try {
                userServiceApiKeys = envOr(ServiceEnv.APP_API_KEYS, StackStarter.DEFAULT_API_KEYS);
                PackagedService userService = startChild(stack.service("user-service", userServiceJar)
                        .ports(StackStarter.USER_SERVICE_PORT, StackStarter.USER_SERVICE_MANAGEMENT_PORT)
                        .env(stack.userServiceEnv(userServiceApiKeys,
                                envOr(ServiceEnv.APP_CURSOR_KEYS, StackStarter.DEFAULT_CURSOR_KEYS))));
                ingestSecret = envOr(ServiceEnv.APP_INGEST_SECRET, StackStarter.DEFAULT_INGEST_SECRET);
                PackagedService botIngest = startChild(stack.service("bot-ingest", botIngestJar)
                        .ports(StackStarter.BOT_INGEST_PORT, StackStarter.BOT_INGEST_MANAGEMENT_PORT)
                        .env(stack.botIngestEnv(ingestSecret)));
                for (PackagedService c : List.of(userService, botIngest)) {
                    c.awaitListening(CHILD_READY_TIMEOUT);
                }
            } catch (IOException | RuntimeException e) {
                if (!stopping.get()) {
                    fail(e.getMessage());
                }
                awaitStop();
                return;
            }
        }
        if (stopping.get()) {
            awaitStop();
            return;
        }
        LocalRunSummary.print(OUT, stack.postgres(), stack.kafka(), options.noServices, dataDir, userServiceApiKeys, ingestSecret);
        awaitStop();
    }

    // ------------------------------------------------------------------------------------------ children

    /** Starts a service with the stack's JVM options and environment, echoing its output to the console. */
    private PackagedService startChild(PackagedService.Builder builder) throws IOException {
        builder.echoTo(OUT);
        OUT.println("[local-stack] starting " + builder.name() + ": " + builder.commandLine());
        PackagedService child = stack.start(builder);
        child.process().onExit().thenRun(() -> onChildExit(child));
        return child;
    }

    private void onChildExit(PackagedService child) {
        if (stopping.get()) {
            return;
        }
        // a Ctrl-C in the terminal reaches the children too; give our own signal handler a moment to win
        sleep(500);
        if (stopping.get()) {
            return;
        }
        requestStop(1, child.name() + " exited unexpectedly with code " + child.process().exitValue()
                + "; stopping everything");
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    private void installSignalHandler(String name) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                if (stopping.get()) {
                    OUT.println("[local-stack] already stopping, please wait");
                } else {
                    OUT.println();
                    requestStop(0, "received SIG" + name + ", stopping");
                }
            });
        } catch (IllegalArgumentException | LinkageError e) {
            // signal unavailable (e.g. -Xrs or ignored by the parent): the JVM shutdown hook still tears down
        }
    }

    /** Stops everything in order on a separate thread, then exits the JVM with {@code exitCode}. */
    private void requestStop(int exitCode, String reason) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> {
            OUT.println("[local-stack] " + reason);
            teardown();
            System.exit(exitCode);
        }, "local-run-stop");
        t.start();
    }

    private void fail(String message) {
        System.err.println("[local-stack] ERROR: " + message);
        if (stopping.compareAndSet(false, true)) {
            teardown();
            System.exit(1);
        }
    }

    private void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // the stopping thread calls System.exit; just park until it does
        while (true) {
            sleep(60_000);
        }
    }

    /** Idempotent: children first, then Kafka, then PostgreSQL. Also runs as the JVM shutdown hook. */
    private synchronized void teardown() {
        if (tornDown) {
            return;
        }
        tornDown = true;
        stopping.set(true);
        stack.close();
        OUT.println("[local-stack] stopped");
        stopped.countDown();
    }

    /** The launcher's own environment's value of {@code var}, unless unset or blank. */
    private static String envOr(String var, String fallback) {
        String v = System.getenv(var);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
