package dev.tgregistry.users.segment;

import dev.tgregistry.users.RegistryConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Folds new events into the event summary the segment filters {@code did} / {@code did_not} read (migration V18),
 * every {@code app.event-summary.interval}, off the ingest path: chunks of {@code app.event-summary.chunk} ids, each
 * its own short transaction, until nothing safe is left to fold. One instance folds at a time (the others' chunks
 * answer -1 and the run ends). Answers never depend on it having run: a segment query adds the events above the
 * watermark itself.
 */
@ApplicationScoped
public class EventSummaryJob {
    private static final Logger LOG = Logger.getLogger(EventSummaryJob.class);
    static final String FOLD = "SELECT registry.fold_event_summary($1)";
    /** Chunks per run at most, so that a run ends even while events keep arriving faster than it folds. */
    private static final int MAX_CHUNKS = 1000;

    private final Pool pool;
    private final long chunk;

    public EventSummaryJob(Pool pool, RegistryConfig config) {
        this.pool = pool;
        this.chunk = config.eventSummary().chunk();
    }

    @Scheduled(every = "${app.event-summary.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> fold() {
        return foldAll().replaceWithVoid().onFailure().recoverWithUni(failure -> {
            LOG.warnf("Event summary fold failed, retried next round: %s", failure.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    /** Folds chunk after chunk while one moves the watermark; emits how many ids it moved in all. */
    public Uni<Long> foldAll() {
        return foldFrom(0, 0);
    }

    private Uni<Long> foldFrom(long moved, int chunks) {
        if (chunks >= MAX_CHUNKS) {
            return Uni.createFrom().item(moved);
        }
        return pool.preparedQuery(FOLD).execute(Tuple.of(chunk)).map(rows -> rows.iterator().next().getLong(0))
                .chain(step -> step > 0 ? foldFrom(moved + step, chunks + 1) : Uni.createFrom().item(moved));
    }
}
