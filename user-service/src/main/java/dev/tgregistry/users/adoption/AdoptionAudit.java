package dev.tgregistry.users.adoption;

import dev.tgregistry.users.privacy.AuditEntry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** The audit log row of an adoption step (user id 0: the step concerns no one person). */
@ApplicationScoped
public class AdoptionAudit {
    public static final String ACTION = "adoption";

    Uni<Void> record(String caller, String details) {
        return Panache.withTransaction(() -> AuditEntry.of(caller, ACTION, 0L, Instant.now(), details).persist())
                .replaceWithVoid();
    }
}
