package dev.tgregistry.users.adoption;

import dev.tgregistry.users.RegistryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps the registry in step with the bot's own tables: adopts each bot table found (capture trigger), applies what
 * the bot wrote since (the queue, in order), and copies the rows that existed before adoption (in key order, a chunk
 * per table per round). Every step is idempotent, so a crash at any point is repaired by the next round.
 */
@ApplicationScoped
public class AdoptionSync {
    private static final Logger LOG = Logger.getLogger(AdoptionSync.class);
    private static final int MAX_BATCHES_PER_ROUND = 20;

    private final AdoptionRepository repository;
    private final LegacyWriteApplier applier;
    private final MeterRegistry metrics;
    private final String botSchema;
    private final int batchSize;
    private final Set<String> adopted = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean failing = new AtomicBoolean();

    public AdoptionSync(AdoptionRepository repository, LegacyWriteApplier applier, MeterRegistry metrics,
                        RegistryConfig config) {
        this.repository = repository;
        this.applier = applier;
        this.metrics = metrics;
        this.botSchema = config.adoption().botSchema();
        this.batchSize = config.adoption().batchSize();
    }

    @Scheduled(every = "${app.adoption.sync-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> round() {
        return adoptNewTables()
                .chain(repository::tables)
                .chain(tables -> drain(shapesOf(tables), MAX_BATCHES_PER_ROUND))
                .chain(this::backfillStep)
                .invoke(() -> {
                    if (failing.compareAndSet(true, false)) {
                        LOG.info("Adoption sync works again");
                    }
                })
                .onFailure().recoverWithItem(failure -> {
                    // once per outage: while PostgreSQL is down every round fails the same way
                    if (failing.compareAndSet(false, true)) {
                        LOG.warnf("Adoption sync round failed, retried every round until it works: %s",
                                failure.getClass().getSimpleName());
                    }
                    LOG.debug("Adoption sync round failed", failure);
                    return null;
                });
    }

    /** Installs the capture of every bot table not yet adopted; a table whose lock the bot holds waits for the next round. */
    Uni<Void> adoptNewTables() {
        return repository.shapes(botSchema).chain(shapes -> Multi.createFrom().iterable(shapes.entrySet())
                .filter(table -> !adopted.contains(table.getKey()))
                .onItem().transformToUniAndConcatenate(table -> repository.adopt(table.getKey(), table.getValue())
                        .invoke(installed -> {
                            adopted.add(table.getKey());
                            if (installed) {
                                LOG.infof("Adoption: %s (%s) is captured", table.getKey(), table.getValue());
                            }
                        })
                        .onFailure().recoverWithItem(failure -> {
                            LOG.warnf("Adoption: %s not captured yet (%s); next round tries again", table.getKey(),
                                    failure.getMessage());
                            return false;
                        }))
                .collect().last().replaceWithVoid());
    }

    private static Map<String, String> shapesOf(List<AdoptedTable> tables) {
        Map<String, String> shapes = new LinkedHashMap<>();
        tables.forEach(table -> shapes.put(table.botTable(), table.shape()));
        return shapes;
    }

    /** Applies queued bot writes of the adopted tables ({@code shapes}), a batch at a time, up to {@code batches} batches. */
    Uni<Void> drain(Map<String, String> shapes, int batches) {
        if (batches == 0) {
            return Uni.createFrom().voidItem();
        }
        return repository.nextWrites(batchSize).chain(writes -> {
            if (writes.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            List<LegacyWriteApplier.Item> items = new ArrayList<>();
            Map<String, AdoptionRepository.Counted> counted = new LinkedHashMap<>();
            for (LegacyWrite write : writes) {
                counted.merge(write.botTable(), new AdoptionRepository.Counted(1, write.writtenAt()),
                        (a, b) -> new AdoptionRepository.Counted(a.count() + 1, b.last()));
                // a row the bot deleted is not a deletion of the person (that is erasure, through the API)
                if (!LegacyWrite.DELETE.equals(write.operation()) && shapes.containsKey(write.botTable())) {
                    items.add(new LegacyWriteApplier.Item(write.botTable(), shapes.get(write.botTable()),
                            write.row(), write.writtenAt()));
                }
            }
            return applier.apply(items)
                    .chain(() -> repository.applied(writes.get(writes.size() - 1).id(), counted))
                    .invoke(() -> counted.forEach((table, count) -> metrics.counter("registry.adoption.legacy_writes",
                            "table", table).increment(count.count())))
                    .chain(() -> writes.size() < batchSize ? Uni.createFrom().voidItem() : drain(shapes, batches - 1));
        });
    }

    /** Copies the next chunk of rows that existed at adoption, for each table still being copied. */
    Uni<Void> backfillStep() {
        return repository.pendingBackfills().chain(pending -> Multi.createFrom().iterable(pending)
                .onItem().transformToUniAndConcatenate(backfill -> backfillChunks(backfill.botTable(), backfill.shape(),
                        backfill.upTo() == null ? Long.MIN_VALUE : backfill.upTo(), MAX_BATCHES_PER_ROUND))
                .collect().last().replaceWithVoid());
    }

    /** Copies up to {@code chunks} chunks of a table after key {@code after}, recording the key reached after each. */
    private Uni<Void> backfillChunks(String botTable, String shape, long after, int chunks) {
        String key = LegacyRows.keyColumn(shape);
        return repository.rowsAfter(botTable, key, after, batchSize).chain(found -> {
            if (found.isEmpty()) {
                LOG.infof("Adoption: the rows %s held at adoption are copied", botTable);
                return repository.backfilled(botTable, after, true);
            }
            List<LegacyWriteApplier.Item> items = new ArrayList<>(found.size());
            for (JsonObject row : found) {
                items.add(new LegacyWriteApplier.Item(botTable, shape, row, lastWritten(row)));
            }
            long last = ((Number) found.get(found.size() - 1).getValue(key)).longValue();
            return applier.apply(items).chain(() -> repository.backfilled(botTable, last, false))
                    .chain(() -> chunks > 1 ? backfillChunks(botTable, shape, last, chunks - 1) : Uni.createFrom().voidItem());
        });
    }

    /** When a row that existed before adoption was last written, as far as its own columns tell. */
    private Instant lastWritten(JsonObject row) {
        for (String column : List.of("updated_at", "last_seen_at", "changed_at", "created_at", "registered_at")) {
            Instant at = applier.rows().time(row, column);
            if (at != null) {
                return at;
            }
        }
        return Instant.now();
    }
}
