package dev.tgregistry.users.profile;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.ColumnTransformer;

import java.time.Instant;

/** A row of {@code user_profile_changes}: one field of one profile changed, by whom, when, from what to what. */
@Entity
@Table(name = "user_profile_changes")
public class ProfileChange extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "user_id")
    public Long userId;
    /** The profile's version this change produced. */
    public long version;
    @Column(name = "changed_at")
    public Instant changedAt;
    /** The API key id of the caller. */
    @Column(name = "changed_by")
    public String changedBy;
    /** A profile field, or {@code attributes.<key>} for an attribute. */
    public String field;
    /** JSON text; null when the field had no value. */
    @Column(name = "old_value", columnDefinition = "jsonb")
    @ColumnTransformer(read = "old_value::text", write = "?::text::jsonb")
    public String oldValue;
    @Column(name = "new_value", columnDefinition = "jsonb")
    @ColumnTransformer(read = "new_value::text", write = "?::text::jsonb")
    public String newValue;

    static ProfileChange of(long userId, String field, String oldValue, String newValue) {
        ProfileChange change = new ProfileChange();
        change.userId = userId;
        change.field = field;
        change.oldValue = oldValue;
        change.newValue = newValue;
        return change;
    }
}
