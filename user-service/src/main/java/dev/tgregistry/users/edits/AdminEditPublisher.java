package dev.tgregistry.users.edits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tgregistry.model.BookingAdminEdit;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.RegistryRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Puts committed admin edits on topic registry.admin-edits.v1 (keyed by user id, like every registry topic) and
 * marks each row published once Kafka acknowledged it. A failure leaves the row unpublished for
 * {@link AdminEditRelay}, so an edit's publication can be late but is never lost.
 */
@ApplicationScoped
public class AdminEditPublisher {
    private static final Logger LOG = Logger.getLogger(AdminEditPublisher.class);
    static final String MARK_PUBLISHED = "UPDATE booking_admin_edits SET published_at = now() WHERE id = $1 AND published_at IS NULL";

    private final MutinyEmitter<String> emitter;
    private final Pool pool;
    private final MeterRegistry metrics;

    public AdminEditPublisher(@Channel("admin-edits") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10_000)
                              MutinyEmitter<String> emitter, Pool pool, MeterRegistry metrics) {
        this.emitter = emitter;
        this.pool = pool;
        this.metrics = metrics;
    }

    /** Starts publishing now; the caller does not wait (the HTTP answer does not depend on Kafka). */
    void publishSoon(List<AdminEdit> edits) {
        for (AdminEdit edit : edits) {
            publish(edit).subscribe().with(ignored -> { }, failure -> { });
        }
    }

    /** Publishes one edit and marks it published; fails (after logging) if Kafka or the mark failed. */
    Uni<Void> publish(AdminEdit edit) {
        BookingAdminEdit record = toRecord(edit);
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(record.key()).build();
        return Uni.createFrom().deferred(() -> emitter.sendMessage(Message.of(RecordJson.write(record)).addMetadata(metadata)))
                .chain(() -> pool.preparedQuery(MARK_PUBLISHED).execute(Tuple.of(edit.id())).replaceWithVoid())
                .onFailure().invoke(failure -> {
                    metrics.counter("registry.admin_edits.publish_failures").increment();
                    LOG.errorf("Publishing admin edit %d of booking %d failed; the relay retries it: %s",
                            edit.id(), edit.bookingId(), failure.getMessage());
                });
    }

    static BookingAdminEdit toRecord(AdminEdit edit) {
        return new BookingAdminEdit(RegistryRecord.SCHEMA_VERSION, edit.id(), edit.bookingId(), edit.userId(), edit.field(),
                jsonValue(edit.field(), edit.value()), edit.editedAt(), edit.keyId());
    }

    private static JsonNode jsonValue(String field, String value) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        if (value == null) {
            return json.nullNode();
        }
        boolean numeric = field.equals(BookingAdminEdit.CONFIRMED) || field.equals(BookingAdminEdit.DISCOUNT_PERCENT);
        return numeric ? json.numberNode(Integer.parseInt(value)) : json.textNode(value);
    }
}
