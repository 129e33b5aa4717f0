package dev.tgregistry.users.edits;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A row of {@code booking_admin_edits}: one field of a booking set by an admin. It is the audit row, the outbox
 * entry of topic registry.admin-edits.v1 and, while not settled, the registry's claim on that field.
 */
@Entity
@Table(name = "booking_admin_edits")
public class AdminEdit extends PanacheEntityBase {
    static final String SUPERSEDED = "superseded";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "booking_id")
    public Long bookingId;
    @Column(name = "user_id")
    public Long userId;
    public String field;
    /** The admin's value as text; null = cleared. */
    public String value;
    @Column(name = "previous_value")
    public String previousValue;
    @Column(name = "edited_at")
    public Instant editedAt;
    @Column(name = "key_id")
    public String keyId;
    @Column(name = "settled_at")
    public Instant settledAt;
    @Column(name = "settled_by")
    public String settledBy;
    @Column(name = "published_at")
    public Instant publishedAt;
}
