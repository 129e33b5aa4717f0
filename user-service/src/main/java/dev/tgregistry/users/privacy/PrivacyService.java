package dev.tgregistry.users.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgregistry.users.web.ApiErrors;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Erasure and export of one person. An erasure is one transaction: it waits for the consumers' writes in flight (the
 * advisory lock the V11 triggers share), records the tombstone, erases every {@link PersonalData#HOLDERS} table and
 * writes the audit row, so either all of it happened or none.
 */
@ApplicationScoped
public class PrivacyService {
    static final String EXCLUSIVE_LOCK = "SELECT 1 FROM (SELECT pg_advisory_xact_lock(20250, 2)) AS locked";
    static final String TOMBSTONE = "INSERT INTO erased_users (user_id, erased_at) VALUES (:userId, timestamptz 'epoch' + CAST(:micros AS bigint) * interval '1 microsecond') "
            + "ON CONFLICT (user_id) DO UPDATE SET erased_at = GREATEST(erased_users.erased_at, excluded.erased_at)";

    private final PrivacyRepository repository;
    private final ObjectMapper mapper;

    public PrivacyService(PrivacyRepository repository, ObjectMapper mapper) {
        this.repository = repository;
        this.mapper = mapper;
    }

    public Uni<Erasure> erase(long userId, String caller) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Map<String, Integer> deleted = new LinkedHashMap<>();
        Map<String, Integer> anonymized = new LinkedHashMap<>();
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> {
            Uni<?> steps = session.createNativeQuery(EXCLUSIVE_LOCK).getSingleResult();
            for (PersonalData.Holder holder : PersonalData.HOLDERS) {
                steps = steps.chain(() -> update(session, holder.erasure(), userId, null))
                        .invoke(rows -> (holder.kept() ? anonymized : deleted).put(holder.table(), rows));
            }
            return steps.chain(() -> {
                boolean heldAnything = deleted.values().stream().anyMatch(rows -> rows > 0)
                        || anonymized.values().stream().anyMatch(rows -> rows > 0);
                if (!heldAnything) {
                    return Uni.createFrom().failure(ApiErrors.notFound("user " + userId + " not found"));
                }
                Erasure erasure = new Erasure(userId, at, deleted, anonymized);
                return update(session, TOMBSTONE, userId, at)
                        .chain(() -> AuditEntry.of(caller, AuditEntry.ERASE, userId, at, summary(erasure)).persist())
                        .replaceWith(erasure);
            });
        }));
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
            return Panache.withTransaction(() -> AuditEntry.of(caller, AuditEntry.EXPORT, userId, at, details).persist())
                    .replaceWith(document);
        });
    }

    private static Uni<Integer> update(Mutiny.Session session, String sql, long userId, Instant at) {
        var query = session.createNativeQuery(sql).setParameter("userId", userId);
        if (at != null) {
            query.setParameter("micros", ChronoUnit.MICROS.between(Instant.EPOCH, at));
        }
        return query.executeUpdate();
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
