package dev.tgregistry.users.booking;

import dev.tgregistry.model.BookingAdminEdit;
import io.vertx.mutiny.sqlclient.Row;

/** The fields of a {@code bookings} row an admin may edit, read under the row's lock. */
record EditableBooking(long id, long userId, String courseStream, Integer confirmed, String referralCode, Integer discountPercent) {
    static final String COLUMNS = "id, user_id, course_stream, confirmed, referral_code, discount_percent";

    static EditableBooking of(Row row) {
        return new EditableBooking(row.getLong("id"), row.getLong("user_id"), row.getString("course_stream"),
                row.getInteger("confirmed"), row.getString("referral_code"), row.getInteger("discount_percent"));
    }

    /** The field's value as text, as booking_admin_edits stores it (null = none). */
    String current(String field) {
        Object value = switch (field) {
            case BookingAdminEdit.COURSE_STREAM -> courseStream;
            case BookingAdminEdit.CONFIRMED -> confirmed;
            case BookingAdminEdit.REFERRAL_CODE -> referralCode;
            case BookingAdminEdit.DISCOUNT_PERCENT -> discountPercent;
            default -> throw new IllegalArgumentException(field);
        };
        return value == null ? null : value.toString();
    }

    EditableBooking with(String field, String value) {
        return switch (field) {
            case BookingAdminEdit.COURSE_STREAM -> new EditableBooking(id, userId, value, confirmed, referralCode, discountPercent);
            case BookingAdminEdit.CONFIRMED -> new EditableBooking(id, userId, courseStream, Integer.valueOf(value), referralCode, discountPercent);
            case BookingAdminEdit.REFERRAL_CODE -> new EditableBooking(id, userId, courseStream, confirmed, value, discountPercent);
            case BookingAdminEdit.DISCOUNT_PERCENT -> new EditableBooking(id, userId, courseStream, confirmed, referralCode, Integer.valueOf(value));
            default -> throw new IllegalArgumentException(field);
        };
    }
}
