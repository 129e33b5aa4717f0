package dev.tgregistry.users.profile;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.ColumnTransformer;

import java.time.Instant;

/**
 * A row of {@code user_profiles}: what a bot knows about a user beyond Telegram's snapshot. Written only through
 * the profile API ({@link ProfileService}); {@code version} goes up by one with every change.
 */
@Entity
@Table(name = "user_profiles")
public class UserProfile extends PanacheEntityBase {
    @Id
    @Column(name = "user_id")
    public Long userId;
    @Column(name = "onboarding_completed")
    public Boolean onboardingCompleted;
    @Column(name = "real_name")
    public String realName;
    public String nickname;
    @Column(name = "study_track")
    public String studyTrack;
    @Column(name = "grade_band")
    public String gradeBand;
    /** The number in {@link #gradeYearText}, when it is one. */
    @Column(name = "grade_year")
    public Integer gradeYear;
    /** grade_year as the bot wrote it (a number or a word). */
    @Column(name = "grade_year_text")
    public String gradeYearText;
    public String phone;
    @Column(name = "last_activity")
    public Instant lastActivity;
    /** The JSON object as text (jsonb in the table; bound as text, so the database parses it rather than storing a JSON string). */
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(read = "attributes::text", write = "?::text::jsonb")
    public String attributes;
    public long version;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    static UserProfile blank(long userId, Instant now) {
        UserProfile profile = new UserProfile();
        profile.userId = userId;
        profile.attributes = "{}";
        profile.version = 0;
        profile.createdAt = now;
        profile.updatedAt = now;
        return profile;
    }
}
