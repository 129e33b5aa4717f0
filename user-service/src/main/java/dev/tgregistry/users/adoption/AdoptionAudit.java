package dev.tgregistry.users.adoption;

import dev.tgregistry.users.privacy.AuditLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** The audit log row of an adoption step (user id 0: the step concerns no one person). */
@ApplicationScoped
public class AdoptionAudit {
    public static final String ACTION = "adoption";

    private final Pool pool;
    private final AuditLog auditLog;

    public AdoptionAudit(Pool pool, AuditLog auditLog) {
        this.pool = pool;
        this.auditLog = auditLog;
    }

    Uni<Void> record(String caller, String details) {
        return auditLog.record(pool, caller, ACTION, 0L, Instant.now(), details);
    }
}
