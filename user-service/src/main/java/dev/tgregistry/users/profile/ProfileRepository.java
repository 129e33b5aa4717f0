package dev.tgregistry.users.profile;

import dev.tgregistry.users.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * Every write of a profile, on the Pool: the rows locked, then each profile's row and its change-log entries written
 * in one statement (the same rows the entities map; reads keep to them). JSON is bound as text and cast: a String
 * bound to a jsonb parameter would be stored as a JSON string.
 */
@ApplicationScoped
public class ProfileRepository {
    private static final String COLUMNS = "SELECT user_id, onboarding_completed, real_name, nickname, study_track, grade_band, "
            + "grade_year, grade_year_text, phone, last_activity, attributes::text AS attributes, version, created_at, updated_at "
            + "FROM user_profiles ";
    /** In id order, so that two writers of several profiles cannot deadlock. */
    static final String LOCKED = COLUMNS + "WHERE user_id = ANY($1) ORDER BY user_id FOR UPDATE";
    /**
     * The change log reads {@code saved} so that the profile's row is written first: for a user not in {@code users}
     * PostgreSQL then names the profile's foreign key. Ids follow the order of the changes.
     */
    private static final String LOG_CHANGES = " INSERT INTO user_profile_changes (user_id, version, changed_at, changed_by, field, old_value, new_value) "
            + "SELECT saved.user_id, saved.version, saved.updated_at, $15, c.field, c.old_value::jsonb, c.new_value::jsonb "
            + "FROM saved, unnest($16::text[], $17::text[], $18::text[]) WITH ORDINALITY AS c(field, old_value, new_value, n) "
            + "ORDER BY c.n";
    static final String INSERT = "WITH saved AS (INSERT INTO user_profiles (user_id, onboarding_completed, real_name, nickname, "
            + "study_track, grade_band, grade_year, grade_year_text, phone, last_activity, attributes, version, created_at, updated_at) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text::jsonb, $12, $13, $14) RETURNING user_id, version, updated_at)"
            + LOG_CHANGES;
    static final String UPDATE = "WITH saved AS (UPDATE user_profiles SET onboarding_completed = $2, real_name = $3, nickname = $4, "
            + "study_track = $5, grade_band = $6, grade_year = $7, grade_year_text = $8, phone = $9, last_activity = $10, "
            + "attributes = $11::text::jsonb, version = $12, created_at = $13, updated_at = $14 WHERE user_id = $1 "
            + "RETURNING user_id, version, updated_at)" + LOG_CHANGES;

    /** The profile's row, locked until the transaction ends; null when the user has none. */
    Uni<UserProfile> locked(SqlConnection connection, long userId) {
        return locked(connection, List.of(userId)).map(found -> found.isEmpty() ? null : found.get(0));
    }

    /** The profiles of {@code userIds} that exist, locked until the transaction ends. */
    Uni<List<UserProfile>> locked(SqlConnection connection, List<Long> userIds) {
        return connection.preparedQuery(LOCKED).execute(Tuple.of(userIds.toArray(Long[]::new)))
                .map(rows -> Rows.map(rows, ProfileRepository::profile));
    }

    /** Writes {@code profile} (inserted when {@code created}, else updated) and logs {@code changes}, stamped by the profile. */
    Uni<Void> save(SqlConnection connection, UserProfile profile, boolean created, List<ProfileChange> changes, String caller) {
        Tuple values = Tuple.from(Arrays.asList(profile.userId, profile.onboardingCompleted, profile.realName, profile.nickname,
                profile.studyTrack, profile.gradeBand, profile.gradeYear, profile.gradeYearText, profile.phone,
                timestamp(profile.lastActivity), profile.attributes, profile.version, timestamp(profile.createdAt),
                timestamp(profile.updatedAt), caller,
                changes.stream().map(change -> change.field).toArray(String[]::new),
                changes.stream().map(change -> change.oldValue).toArray(String[]::new),
                changes.stream().map(change -> change.newValue).toArray(String[]::new)));
        return connection.preparedQuery(created ? INSERT : UPDATE).execute(values).replaceWithVoid();
    }

    private static UserProfile profile(Row row) {
        UserProfile profile = new UserProfile();
        profile.userId = row.getLong("user_id");
        profile.onboardingCompleted = row.getBoolean("onboarding_completed");
        profile.realName = row.getString("real_name");
        profile.nickname = row.getString("nickname");
        profile.studyTrack = row.getString("study_track");
        profile.gradeBand = row.getString("grade_band");
        profile.gradeYear = row.getInteger("grade_year");
        profile.gradeYearText = row.getString("grade_year_text");
        profile.phone = row.getString("phone");
        profile.lastActivity = Rows.instant(row, "last_activity");
        profile.attributes = row.getString("attributes");
        profile.version = row.getLong("version");
        profile.createdAt = Rows.instant(row, "created_at");
        profile.updatedAt = Rows.instant(row, "updated_at");
        return profile;
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
