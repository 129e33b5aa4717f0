package dev.tgregistry.model;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/**
 * Topic {@value Topics#BOOKINGS}: a booking row as it is after a change. Also the body of {@code POST /bot/bookings}.
 *
 * @param confirmed -1 cancelled, 0 created, 1 payment uploaded, 2 confirmed
 * @param changedAt when the change happened; the newest wins
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BookingChanged(
        Integer schemaVersion,
        @Schema(required = true) Long id,
        @Schema(required = true) Long userId,
        String username,
        String firstName,
        Integer courseId,
        String courseStream,
        Integer confirmed,
        Instant createdAt,
        String referralCode,
        Integer discountPercent,
        Instant changedAt) implements RegistryRecord {

    public static final int CANCELLED = -1;
    public static final int CONFIRMED = 2;

    /**
     * Fills the dates a bot left out so that the record's date (its {@code changed_at}, which orders snapshots and
     * decides whether an erasure covers it) is the latest date the bot did send: a missing {@code changed_at} is
     * {@code created_at}, a missing {@code created_at} is {@code changed_at}; only a booking with neither is dated at
     * {@code receivedAt}.
     */
    public BookingChanged withDefaults(Instant receivedAt) {
        Instant created = createdAt != null ? createdAt : changedAt != null ? changedAt : receivedAt;
        return new BookingChanged(SCHEMA_VERSION, id, userId, username, firstName, courseId, courseStream,
                confirmed != null ? confirmed : 0, created, referralCode, discountPercent,
                changedAt != null ? changedAt : created);
    }

    @Override
    public String key() {
        return Long.toString(userId);
    }

    @Override
    public void validate() {
        Checks.schemaVersion(schemaVersion);
        Checks.positive("id", id);
        Checks.positive("user_id", userId);
        Checks.notNull("created_at", createdAt);
        Checks.notNull("changed_at", changedAt);
        RecordTimes.check("changed_at", changedAt);
        RecordTimes.check("created_at", createdAt);
        if (changedAt.isBefore(createdAt)) {
            throw new ContractViolation("changed_at", "must not lie before created_at");
        }
        Checks.maxLength("username", username, TelegramUser.MAX_NAME);
        Checks.maxLength("first_name", firstName, TelegramUser.MAX_NAME);
        Checks.maxLength("course_stream", courseStream, 50);
        Checks.maxLength("referral_code", referralCode, 100);
        if (confirmed != null && (confirmed < CANCELLED || confirmed > CONFIRMED)) {
            throw new ContractViolation("confirmed", "must be one of -1, 0, 1, 2");
        }
        if (discountPercent != null && (discountPercent < 0 || discountPercent > 100)) {
            throw new ContractViolation("discount_percent", "must be between 0 and 100");
        }
    }
}
