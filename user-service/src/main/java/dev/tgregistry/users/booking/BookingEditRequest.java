package dev.tgregistry.users.booking;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code PATCH /api/users/{id}/bookings} as documented. {@link BookingUpdates#parse} reads it (member by
 * member, so that each refusal keeps the original dashboard's wording); {@code BookingEditRequestTest} checks that the
 * members named here are the ones it reads.
 */
@Schema(name = "BookingEditRequest", additionalProperties = Schema.True.class)
public record BookingEditRequest(
        @JsonProperty("bookingId")
        @Schema(nullable = true, description = "The booking to edit (an integer or a string of digits); null, 0 or absent: "
                + "the user's newest booking that is not cancelled", oneOf = {Long.class, String.class}, examples = "1001")
        Long bookingId,
        @Schema(required = true) Updates updates) {

    /** The fields to change; at least one of them. Members not listed here are ignored. */
    @Schema(name = "BookingFieldUpdates", minProperties = 1, additionalProperties = Schema.True.class)
    public record Updates(
            @Schema(nullable = true, description = "A valid stream; null or \"\" clears it", examples = "5th_stream") String courseStream,
            @Schema(description = "-1 cancelled, 0 created, 1 payment uploaded, 2 confirmed (not null)",
                    enumeration = {"-1", "0", "1", "2"}) Integer confirmed,
            @Schema(nullable = true, maxLength = BookingUpdates.MAX_REFERRAL_CODE) String referralCode,
            @Schema(nullable = true, description = "0..100 as a number or a string of digits; null stores 0",
                    oneOf = {Integer.class, String.class}, examples = "20") Integer discountPercent) {
    }
}
