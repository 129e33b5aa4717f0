package dev.tgregistry.users.booking;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

/**
 * Result of {@code PATCH /api/users/{id}/stream}; {@code success}, {@code message} and {@code bookingId} are the
 * original dashboard's members, kept next to ours. ({@code booking_id} is named explicitly: a camelCase alias of an
 * implicitly named property would be merged into it.)
 */
public record StreamChange(@JsonProperty("booking_id") long bookingId, @JsonSerialize(using = ToStringSerializer.class) long userId,
                           @Schema(nullable = true) String previousStream, @Schema(nullable = true) String courseStream) {

    @JsonProperty("success")
    public boolean success() {
        return true;
    }

    @JsonProperty("message")
    public String message() {
        return "Stream updated successfully";
    }

    @JsonProperty("bookingId")
    public long bookingIdForDashboard() {
        return bookingId;
    }
}
