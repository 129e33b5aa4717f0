package dev.tgregistry.bench.stack;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.localstack.LocalKafka;
import dev.tgregistry.localstack.PackagedService;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link LocalKafka} in a process of its own, so that the fault suite can stop the broker (SIGTERM or SIGKILL)
 * and start it again on the same port and log directory. Started by {@link Stack#startKafkaProcess}.
 *
 * <p>Arguments: {@code PORT LOG_DIR [name=value ...]} (broker settings over LocalKafka's defaults). Prints
 * {@value #READY} once clients can connect, then runs until it is signalled; LocalKafka's shutdown hook stops
 * the broker in order on SIGTERM.
 */
public final class KafkaChild {
    static final String READY = "KAFKA-CHILD-READY";

    private KafkaChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        Path logDir = Path.of(args[1]);
        Map<String, String> overrides = new LinkedHashMap<>();
        Arrays.stream(args).skip(2).forEach(a -> overrides.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1)));
        LocalKafka.start(port, logDir, overrides);
        System.out.println(READY);
        System.out.flush();
        Thread.currentThread().join();
    }

    /**
     * Starts the child JVM on {@code port} with the broker's {@code logDir} and {@code settings}, its output appended
     * to {@code log}, and waits (at most 120 s) until it prints {@value #READY}; a child that does not get there is stopped.
     */
    public static Process launch(int port, Path logDir, Map<String, String> settings, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), KafkaChild.class.getName(),
                Integer.toString(port), logDir.toString()));
        settings.forEach((k, v) -> cmd.add(k + "=" + v));
        long offset = Files.exists(log) ? Files.size(log) : 0;
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        process.getOutputStream().close();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!readFrom(log, offset).contains(READY)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                PackagedService.terminate(process, false, Duration.ofSeconds(60)); // not left behind the stack's close
                throw new IllegalStateException("Kafka child did not start; see " + log);
            }
            Bench.sleep(100);
        }
        return process;
    }

    private static String readFrom(Path file, long offset) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return offset >= all.length ? "" : new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
    }
}
