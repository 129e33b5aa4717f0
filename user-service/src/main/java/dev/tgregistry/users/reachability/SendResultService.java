package dev.tgregistry.users.reachability;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The dashboard's send results, applied like the failures bots report (one statement, its own transaction). */
@ApplicationScoped
public class SendResultService {
    private final Pool pool;
    private final ReachabilityWriter writer;

    public SendResultService(Pool pool, ReachabilityWriter writer) {
        this.pool = pool;
        this.writer = writer;
    }

    Uni<SendResultsReport> record(SendResults request) {
        return writer.apply(pool, request.results()).map(applied -> {
            List<Long> unknown = applied.stream().filter(row -> !row.known()).map(ReachabilityWriter.Applied::userId).toList();
            int changed = (int) applied.stream().filter(ReachabilityWriter.Applied::changed).count();
            return new SendResultsReport(request.received(), changed, request.ignored(), unknown);
        });
    }
}
