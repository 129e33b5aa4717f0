package dev.tgregistry.users.edits;

import dev.tgregistry.users.db.Rows;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

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

    private final Vertx vertx;
    private final Pool pool;
    private final AdminEditPublisher publisher;
    private final Duration interval;
    private final Duration after;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    public AdminEditRelay(Vertx vertx, Pool pool, AdminEditPublisher publisher,
                          @ConfigProperty(name = "app.admin-edits.relay-interval", defaultValue = "10s") Duration interval,
                          @ConfigProperty(name = "app.admin-edits.relay-after", defaultValue = "30s") Duration after) {
        this.vertx = vertx;
        this.pool = pool;
        this.publisher = publisher;
        this.interval = interval;
        this.after = after;
    }

    void start(@Observes StartupEvent started) {
        timer = vertx.setPeriodic(interval.toMillis(), tick -> {
            if (running.compareAndSet(false, true)) {
                relayOnce().onTermination().invoke(() -> running.set(false))
                        .subscribe().with(count -> { }, failure -> LOG.errorf("Admin-edit relay failed: %s", failure.getMessage()));
            }
        });
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Publishes one page of overdue edits in id order, stopping at the first failure; emits how many went out. */
    Uni<Integer> relayOnce() {
        return pool.preparedQuery(UNPUBLISHED).execute(Tuple.of((double) after.toMillis() / 1000))
                .map(rows -> Rows.map(rows, AdminEditPublisher::fromRow))
                .chain(this::publishInOrder);
    }

    private Uni<Integer> publishInOrder(List<AdminEdit> edits) {
        if (!edits.isEmpty()) {
            LOG.warnf("Relaying %d admin edits that were not published in time", edits.size());
        }
        return Multi.createFrom().iterable(edits)
                .onItem().transformToUniAndConcatenate(edit -> publisher.publish(edit).replaceWith(edit.id))
                .collect().with(java.util.stream.Collectors.counting())
                .map(Long::intValue);
    }
}
