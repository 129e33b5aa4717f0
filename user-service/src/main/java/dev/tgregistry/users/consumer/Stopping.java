package dev.tgregistry.users.consumer;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;

/**
 * Ends the consumers' endless retries when the service stops, so that a stop during a database outage is prompt.
 * A batch cut short this way is neither acknowledged nor committed: it is redelivered after the restart, and
 * redelivery changes nothing that was already written.
 */
@ApplicationScoped
public class Stopping {
    private static final Logger LOG = Logger.getLogger(Stopping.class);

    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    void onStop(@Observes ShutdownEvent event) {
        stopped.complete(null);
    }

    /** {@code work}, or a failure as soon as the service begins to stop, whichever comes first. */
    public <T> Uni<T> orFailWhenStopping(Uni<T> work) {
        // a copy per subscriber: cancelling the loser of the race must not cancel the shared future
        Uni<T> stop = Uni.createFrom().completionStage(stopped::copy).onItem().transformToUni(ignored -> {
            LOG.info("Stopping: a batch in progress is left uncommitted and will be redelivered");
            return Uni.createFrom().failure(new IllegalStateException("service stopping"));
        });
        return Uni.combine().any().of(work, stop);
    }
}
