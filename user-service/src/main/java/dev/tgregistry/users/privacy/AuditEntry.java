package dev.tgregistry.users.privacy;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A row of {@code audit_log}: who (an API key id) erased or exported whose data, when, and a summary without personal data. */
@Entity
@Table(name = "audit_log")
public class AuditEntry extends PanacheEntityBase {
    public static final String ERASE = "erase";
    public static final String EXPORT = "export";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "occurred_at")
    public Instant occurredAt;
    public String caller;
    public String action;
    @Column(name = "user_id")
    public Long userId;
    public String details;

    public static AuditEntry of(String caller, String action, long userId, Instant at, String details) {
        AuditEntry entry = new AuditEntry();
        entry.caller = caller;
        entry.action = action;
        entry.userId = userId;
        entry.occurredAt = at;
        entry.details = details;
        return entry;
    }
}
