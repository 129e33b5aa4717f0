package dev.tgregistry.users.consumer;

import dev.tgregistry.users.RegistryConfig;
import dev.tgregistry.model.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the registry's topics that are missing (the four record topics, their dead-letter topics and the admin
 * edits topic) when the
 * service starts, so that the first poison record has somewhere to go on a cluster with topic auto-creation off.
 * Runs in the background and retries while Kafka is away; never delays startup. Turn it off
 * ({@code app.kafka.create-topics=false}) where topics are declared elsewhere (Strimzi KafkaTopic resources).
 */
@ApplicationScoped
public class TopicSetup {
    private static final Logger LOG = Logger.getLogger(TopicSetup.class);
    /** Dead letters keep the original value plus headers, so their topic accepts larger records than the default 1 MB. */
    static final String DEAD_LETTER_MAX_MESSAGE_BYTES = Integer.toString(4 * 1024 * 1024);

    private final Map<String, Object> kafkaConfig;
    private final boolean enabled;
    private final int partitions;
    private volatile boolean stopped;

    public TopicSetup(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                      RegistryConfig config) {
        this.kafkaConfig = kafkaConfig;
        this.enabled = config.kafka().createTopics();
        this.partitions = config.kafka().topicPartitions();
    }

    void onStart(@Observes StartupEvent event) {
        if (enabled) {
            Thread setup = new Thread(this::createMissingUntilDone, "topic-setup");
            setup.setDaemon(true);
            setup.start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    static List<NewTopic> wanted(int partitions) {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(Topics.ADMIN_EDITS, Optional.of(partitions), Optional.empty()));
        for (String topic : Topics.ALL) {
            topics.add(new NewTopic(topic, Optional.of(partitions), Optional.empty()));
            topics.add(new NewTopic(Topics.deadLetterOf(topic), Optional.of(partitions), Optional.empty())
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, DEAD_LETTER_MAX_MESSAGE_BYTES)));
        }
        return topics;
    }

    private void createMissingUntilDone() {
        try (Admin admin = Admin.create(KafkaClientConfig.only(kafkaConfig, AdminClientConfig.configNames()))) {
            while (!stopped) {
                try {
                    createMissing(admin);
                    return;
                } catch (ExecutionException | RuntimeException failure) {
                    LOG.warnf("Could not check or create the Kafka topics yet, retrying in 5 s: %s", failure.getMessage());
                    TimeUnit.SECONDS.sleep(5);
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void createMissing(Admin admin) throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = wanted(partitions).stream().filter(topic -> !existing.contains(topic.name())).toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(missing).all().get();
            LOG.infof("Created Kafka topics %s", missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException failure) {
            if (!(failure.getCause() instanceof TopicExistsException)) {
                throw failure;
            }
        }
    }
}
