package dev.tgregistry.users.consumer;

import dev.tgregistry.model.UserSeen;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Topic telegram.user-seen.v1 → users (+ name history). */
@ApplicationScoped
public class UserSeenConsumer {
    private final BatchProcessor batches;
    private final UserWriter writer;

    public UserSeenConsumer(BatchProcessor batches, UserWriter writer) {
        this.batches = batches;
        this.writer = writer;
    }

    @Incoming("user-seen")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return batches.process(batch, UserSeen.class, writer::applySightings);
    }
}
