package dev.tgregistry.localstack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Quarkus test resource: one in-process single-node KRaft Kafka per JVM (temporary log directory, free port),
 * shared by every test class and test profile that uses this resource; its use and the configuration it returns:
 * local-stack/README.md.
 *
 * <p>Sharing works across Quarkus class loaders through the JVM-wide system property
 * {@value #PROP_BOOTSTRAP}; {@link #stop()} leaves the broker running until the test JVM exits.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    static final String PROP_BOOTSTRAP = "local-stack.kafka.bootstrap-servers";
    private static final String LOCK = "dev.tgregistry.localstack.KafkaResource#lock";

    private static LocalKafka started;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", bootstrapServers());
        config.put("quarkus.kafka.devservices.enabled", "false");
        return config;
    }

    @Override
    public void stop() {
        // shared per JVM: stopped by LocalKafka's shutdown hook at JVM exit
    }

    /** {@code 127.0.0.1:PORT} of the shared broker, starting it if this JVM has none yet. */
    public static String bootstrapServers() {
        synchronized (LOCK) {
            String bootstrap = System.getProperty(PROP_BOOTSTRAP);
            if (bootstrap != null) {
                return bootstrap;
            }
            LocalKafka kafka = LocalKafka.start(0, null);
            started = kafka;
            System.setProperty(PROP_BOOTSTRAP, kafka.bootstrapServers());
            return kafka.bootstrapServers();
        }
    }

    /**
     * Creates topics on the shared broker (default partition count, replication factor 1); existing topics are
     * kept. Works from any class loader: it only needs the bootstrap address.
     */
    public static void createTopics(String... names) {
        KafkaTopics.create(bootstrapServers(),
                Integer.parseInt(LocalKafka.DEFAULT_SETTINGS.get("num.partitions")), names);
    }
}
