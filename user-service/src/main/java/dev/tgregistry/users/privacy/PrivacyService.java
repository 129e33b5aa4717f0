package dev.tgregistry.users.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgregistry.users.web.ApiErrors;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Erasure and export of one person. An erasure is one transaction: it waits for the consumers' writes in flight (the
 * advisory lock the V11 triggers share), records the tombstone, erases every {@link PersonalData#HOLDERS} table and
 * writes the audit row, in one Pool transaction, so either all of it happened or none.
 */
@ApplicationScoped
public class PrivacyService {
    private final Pool pool;
    private final PrivacyRepository repository;
    private final AuditLog auditLog;
    private final ObjectMapper mapper;

    public PrivacyService(Pool pool, PrivacyRepository repository, AuditLog auditLog, ObjectMapper mapper) {
        this.pool = pool;
        this.repository = repository;
        this.auditLog = auditLog;
        this.mapper = mapper;
    }

    public Uni<Erasure> erase(long userId, String caller) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Map<String, Integer> deleted = new LinkedHashMap<>();
        Map<String, Integer> anonymized = new LinkedHashMap<>();
        return pool.withTransaction(connection -> {
            Uni<?> steps = repository.lockOutConsumers(connection);
            for (PersonalData.Holder holder : PersonalData.HOLDERS) {
                steps = steps.chain(() -> repository.erase(connection, holder, userId))
                        .invoke(rows -> (holder.kept() ? anonymized : deleted).put(holder.table(), rows));
            }
            return steps.chain(() -> {
                boolean heldAnything = deleted.values().stream().anyMatch(rows -> rows > 0)
                        || anonymized.values().stream().anyMatch(rows -> rows > 0);
                if (!heldAnything) {
                    return Uni.createFrom().failure(ApiErrors.notFound("user " + userId + " not found"));
                }
                Erasure erasure = new Erasure(userId, at, deleted, anonymized);
                return repository.tombstone(connection, userId, at)
                        .chain(() -> auditLog.record(connection, caller, AuditLog.ERASE, userId, at, summary(erasure)))
                        .replaceWith(erasure);
            });
        });
    }

    /** Everything the registry holds about the person, as one document; the export is audited before it is returned. */
    public Uni<PersonalDataExport> export(long userId, String caller) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return repository.export(userId).chain(json -> {
            JsonNode tables = parse(json);
            boolean holdsAnything = false;
            for (JsonNode rows : tables) {
                holdsAnything |= !rows.isEmpty();
            }
            if (!holdsAnything) {
                return Uni.createFrom().failure(ApiErrors.notFound("user " + userId + " not found"));
            }
            PersonalDataExport document = new PersonalDataExport(userId, at.toString(), tables);
            String details = "tables: " + tables.size();
            return auditLog.record(pool, caller, AuditLog.EXPORT, userId, at, details).replaceWith(document);
        });
    }

    private String summary(Erasure erasure) {
        try {
            return mapper.writeValueAsString(Map.of("deleted", erasure.deleted(), "anonymized", erasure.anonymized()));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
