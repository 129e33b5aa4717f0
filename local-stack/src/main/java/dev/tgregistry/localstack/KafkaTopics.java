package dev.tgregistry.localstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Admin-client work on any reachable cluster: the local broker's, a test's, a benchmark's. */
public final class KafkaTopics {
    private KafkaTopics() {
    }

    /** Creates topics (replication factor 1); topics that already exist are left alone. */
    public static void create(String bootstrapServers, int partitions, String... names) {
        create(adminConfig(bootstrapServers), partitions, names);
    }

    /** {@link #create(String, int, String...)} with an admin client built on {@code adminConfig}. */
    static void create(Map<String, Object> adminConfig, int partitions, String... names) {
        List<NewTopic> topics = new ArrayList<>();
        for (String n : names) {
            topics.add(new NewTopic(n, partitions, (short) 1));
        }
        if (topics.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(adminConfig)) {
            for (Map.Entry<String, KafkaFuture<Void>> e : admin.createTopics(topics).values().entrySet()) {
                try {
                    e.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("creating topic " + e.getKey() + " failed: "
                                + Util.rootMessage(ex), ex);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topics " + String.join(", ", names), e);
        }
    }

    /** Short timeouts: a local broker answers at once or not at all. */
    static Map<String, Object> adminConfig(String bootstrapServers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        m.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        m.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        m.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-stack-admin");
        return m;
    }
}
