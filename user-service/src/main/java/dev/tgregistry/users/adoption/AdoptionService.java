package dev.tgregistry.users.adoption;

import dev.tgregistry.web.Conflict;
import dev.tgregistry.users.RegistryConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Where adoption stands, and its finish: refused while the bot still writes its tables, unless forced. */
@ApplicationScoped
public class AdoptionService {
    private static final Logger LOG = Logger.getLogger(AdoptionService.class);

    private final AdoptionRepository repository;
    private final AdoptionAudit audit;
    private final Duration quietPeriod;

    public AdoptionService(AdoptionRepository repository, AdoptionAudit audit,
                           RegistryConfig config) {
        this.repository = repository;
        this.audit = audit;
        this.quietPeriod = config.adoption().quietPeriod();
    }

    public Uni<AdoptionStatus> status() {
        return repository.tables().chain(tables -> repository.queued()
                .map(queued -> new AdoptionStatus(tables, queued, quietPeriod.toSeconds())));
    }

    public Uni<List<String>> finish(boolean force, String caller) {
        Instant quietSince = Instant.now().minus(quietPeriod);
        return repository.tables().chain(tables -> repository.queued().chain(queued -> {
            List<AdoptedTable> busy = tables.stream()
                    .filter(table -> table.finishedAt() == null && table.lastLegacyWriteAt() != null
                            && table.lastLegacyWriteAt().isAfter(quietSince))
                    .toList();
            if ((!busy.isEmpty() || queued > 0) && !force) {
                throw new Conflict("the bot still writes its tables",
                        "legacy writes within the last " + quietPeriod.toMinutes() + " min: "
                                + busy.stream().map(t -> t.botTable() + " at " + t.lastLegacyWriteAt()).toList()
                                + ", " + queued + " not applied yet; move those writes to the API first, or finish with force=true");
            }
            String details = "finish" + (force ? " forced" : "") + (busy.isEmpty() ? "" : "; recent legacy writes in "
                    + busy.stream().map(AdoptedTable::botTable).toList());
            return audit.record(caller, details)
                    .chain(repository::finish)
                    .invoke(finished -> LOG.infof("Adoption finished by %s%s: %s", caller, force ? " (forced)" : "", finished));
        }));
    }
}
