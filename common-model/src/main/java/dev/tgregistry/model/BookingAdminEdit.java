package dev.tgregistry.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.util.Set;

/**
 * Topic {@value Topics#ADMIN_EDITS}, produced by user-service: an admin set one field of a booking from the
 * dashboard. The bot applies it to its own booking row; user-service keeps the admin's value until a
 * {@link BookingChanged} snapshot of that booking carries it (see docs/DESIGN.md, "Admin edits").
 * Delivery is at least once: apply by {@code edit_id} (a redelivered or re-published edit has the same id).
 *
 * @param editId   increasing per edit; a higher id on the same booking and field is the newer edit
 * @param field    one of {@link #FIELDS}, named as in {@link BookingChanged}
 * @param value    the new value: a string for {@code course_stream} and {@code referral_code}, a number for
 *                 {@code confirmed} and {@code discount_percent}, or null (cleared)
 * @param editedBy the non-secret id of the API key that made the edit
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BookingAdminEdit(
        Integer schemaVersion,
        Long editId,
        Long bookingId,
        Long userId,
        String field,
        JsonNode value,
        Instant editedAt,
        String editedBy) implements RegistryRecord {

    public static final String COURSE_STREAM = "course_stream";
    public static final String CONFIRMED = "confirmed";
    public static final String REFERRAL_CODE = "referral_code";
    public static final String DISCOUNT_PERCENT = "discount_percent";
    public static final Set<String> FIELDS = Set.of(COURSE_STREAM, CONFIRMED, REFERRAL_CODE, DISCOUNT_PERCENT);

    @Override
    public String key() {
        return Long.toString(userId);
    }

    @Override
    public void validate() {
        Checks.schemaVersion(schemaVersion);
        Checks.positive("edit_id", editId);
        Checks.positive("booking_id", bookingId);
        Checks.positive("user_id", userId);
        if (field == null || !FIELDS.contains(field)) {
            throw new ContractViolation("field", "must be one of " + String.join(", ", FIELDS.stream().sorted().toList()));
        }
        Checks.notNull("edited_at", editedAt);
        Checks.notBlank("edited_by", editedBy, 100);
    }
}
