package dev.tgregistry.bench;

import dev.tgregistry.localstack.LocalKafka;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
}
