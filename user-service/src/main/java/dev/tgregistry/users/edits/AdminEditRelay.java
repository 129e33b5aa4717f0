package dev.tgregistry.users.edits;

import dev.tgregistry.users.db.Rows;
import dev.tgregistry.users.RegistryConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;

/**
 * The outbox relay: every {@code app.admin-edits.relay-interval} it publishes, oldest first, the admin edits that
 * are still unpublished {@code app.admin-edits.relay-after} after they were made (Kafka was down, or the service
 * stopped between commit and acknowledgement). Runs on every instance; a record may then go out twice, which the
 * contract allows (consumers apply by edit_id).
 */
@ApplicationScoped
public class AdminEditRelay {
    private static final Logger LOG = Logger.getLogger(AdminEditRelay.class);
    static final String UNPUBLISHED = """
            SELECT id, booking_id, user_id, field, value, edited_at, key_id FROM booking_admin_edits
            WHERE published_at IS NULL AND edited_at < now() - make_interval(secs => $1)
            ORDER BY id LIMIT 500
            """;

    private final Pool pool;
    private final AdminEditPublisher publisher;
    private final Duration after;

    public AdminEditRelay(Pool pool, AdminEditPublisher publisher, RegistryConfig config) {
        this.pool = pool;
        this.publisher = publisher;
        this.after = config.adminEdits().relayAfter();
    }

    @Scheduled(every = "${app.admin-edits.relay-interval}", delayed = "${app.admin-edits.relay-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return relayOnce().replaceWithVoid().onFailure().recoverWithUni(failure -> {
            LOG.warnf("Admin-edit relay round failed, retried next round: %s", failure.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    /** Publishes one page of overdue edits in id order, stopping at the first failure; emits how many went out. */
    Uni<Integer> relayOnce() {
        return pool.preparedQuery(UNPUBLISHED).execute(Tuple.of((double) after.toMillis() / 1000))
                .map(rows -> Rows.map(rows, AdminEdit::of))
                .chain(this::publishInOrder);
    }

    private Uni<Integer> publishInOrder(List<AdminEdit> edits) {
        if (!edits.isEmpty()) {
            LOG.warnf("Relaying %d admin edits that were not published in time", edits.size());
        }
        return Multi.createFrom().iterable(edits)
                .onItem().transformToUniAndConcatenate(edit -> publisher.publish(edit).replaceWith(edit.id()))
                .collect().with(java.util.stream.Collectors.counting())
                .map(Long::intValue);
    }
}
