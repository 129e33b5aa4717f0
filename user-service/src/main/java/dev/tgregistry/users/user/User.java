package dev.tgregistry.users.user;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Formula;

import java.time.Instant;

/** A row of {@code users}: who a Telegram user is, as of the newest snapshot seen. Written by {@code consumer/} SQL only. */
@Entity
@Table(name = "users")
public class User extends PanacheEntityBase {
    @Id
    @Column(name = "user_id")
    public Long userId;
    public String username;
    @Column(name = "first_name")
    public String firstName;
    @Column(name = "last_name")
    public String lastName;
    @Column(name = "language_code")
    public String languageCode;
    @Column(name = "is_active")
    public boolean active;
    @Column(name = "is_premium")
    public Boolean premium;
    @Column(name = "first_seen_at")
    public Instant firstSeenAt;
    @Column(name = "last_seen_at")
    public Instant lastSeenAt;
    /** Seen in their private chat with the bot (column {@code private_chat_since} set): the bot may message them. */
    @Formula("(private_chat_since IS NOT NULL)")
    public boolean privateChatSeen;
    /** As ReachabilitySql.unreachableReason serves it. */
    @Formula("(CASE WHEN is_active IS FALSE THEN COALESCE(unreachable_reason, 'blocked') ELSE unreachable_reason END)")
    public String unreachableReason;
    /** As ReachabilitySql.unreachableAt serves it. */
    @Formula("(CASE WHEN is_active IS FALSE THEN COALESCE(unreachable_at, active_changed_at) ELSE unreachable_at END)")
    public Instant unreachableAt;
}
