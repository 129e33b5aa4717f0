package dev.tgregistry.users.booking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.model.BookingAdminEdit;
import dev.tgregistry.users.web.ApiErrors;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code PATCH /api/users/{id}/bookings}, checked: {@code {"bookingId": <id|null>, "updates":
 * {course_stream?, confirmed?, referral_code?, discount_percent?}}}. Values are kept as the text stored in
 * booking_admin_edits (null = cleared).
 *
 * @param bookingId null: the user's newest non-cancelled booking
 * @param values    field → new value, in the order given; never empty
 */
record BookingUpdates(Long bookingId, Map<String, String> values) {
    static final int MAX_REFERRAL_CODE = 100;

    static BookingUpdates parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiErrors.badRequest("the body must be a JSON object: {\"bookingId\": <id or null>, \"updates\": {...}}");
        }
        Long bookingId = bookingId(body.get("bookingId"));
        JsonNode updates = body.get("updates");
        if (updates == null || !updates.isObject()) {
            throw ApiErrors.badRequest("Updates object is required: updates must be an object with course_stream, confirmed, "
                    + "referral_code or discount_percent");
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (updates.has(BookingAdminEdit.COURSE_STREAM)) {
            values.put(BookingAdminEdit.COURSE_STREAM, stream(updates.get(BookingAdminEdit.COURSE_STREAM)));
        }
        if (updates.has(BookingAdminEdit.CONFIRMED)) {
            values.put(BookingAdminEdit.CONFIRMED, confirmed(updates.get(BookingAdminEdit.CONFIRMED)));
        }
        if (updates.has(BookingAdminEdit.REFERRAL_CODE)) {
            values.put(BookingAdminEdit.REFERRAL_CODE, referralCode(updates.get(BookingAdminEdit.REFERRAL_CODE)));
        }
        if (updates.has(BookingAdminEdit.DISCOUNT_PERCENT)) {
            values.put(BookingAdminEdit.DISCOUNT_PERCENT, discount(updates.get(BookingAdminEdit.DISCOUNT_PERCENT)));
        }
        if (values.isEmpty()) {
            throw ApiErrors.badRequest("updates has nothing to update: give course_stream, confirmed, referral_code or discount_percent");
        }
        return new BookingUpdates(bookingId, values);
    }

    /** Absent, null, 0, "" or false (what the original treated as "none given") → null. */
    private static Long bookingId(JsonNode id) {
        if (id == null || id.isNull() || (id.isBoolean() && !id.booleanValue()) || (id.isTextual() && id.asText().isBlank())
                || (id.isIntegralNumber() && id.longValue() == 0)) {
            return null;
        }
        String text = id.isIntegralNumber() || id.isTextual() ? id.asText() : null;
        try {
            return ApiErrors.userId("bookingId", text);
        } catch (RuntimeException notAnId) {
            throw ApiErrors.badRequest("bookingId must be a positive integer or null");
        }
    }

    /** null or "" clears the stream; any other string is checked against the valid streams later. */
    private static String stream(JsonNode stream) {
        if (stream.isNull() || (stream.isTextual() && stream.asText().isBlank())) {
            return null;
        }
        if (!stream.isTextual()) {
            throw ApiErrors.badRequest("Invalid course stream: updates.course_stream must be a string or null");
        }
        return stream.asText().strip();
    }

    private static String confirmed(JsonNode confirmed) {
        if (confirmed.isIntegralNumber() && confirmed.intValue() >= BookingStatus.CANCELLED && confirmed.intValue() <= BookingStatus.CONFIRMED) {
            return Integer.toString(confirmed.intValue());
        }
        throw ApiErrors.badRequest("Invalid payment status: updates.confirmed must be one of -1, 0, 1, 2");
    }

    private static String referralCode(JsonNode code) {
        if (code.isNull()) {
            return null;
        }
        if (!code.isTextual() || code.asText().length() > MAX_REFERRAL_CODE) {
            throw ApiErrors.badRequest("updates.referral_code must be a string of at most " + MAX_REFERRAL_CODE + " characters, or null");
        }
        return code.asText();
    }

    /** null (what the dashboard sends for a cleared field) → 0; a number or a string of digits, 0..100. */
    private static String discount(JsonNode discount) {
        if (discount.isNull()) {
            return "0";
        }
        String text = discount.isIntegralNumber() || discount.isTextual() ? discount.asText().strip() : "";
        if (text.matches("\\d{1,3}") && Integer.parseInt(text) <= 100) {
            return Integer.toString(Integer.parseInt(text));
        }
        throw ApiErrors.badRequest("Discount percent must be between 0 and 100 (updates.discount_percent)");
    }
}
