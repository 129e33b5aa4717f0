package dev.tgregistry.users.stream;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

/** Result of {@code PATCH /api/users/{id}/stream}. */
public record StreamChange(long bookingId, @JsonSerialize(using = ToStringSerializer.class) long userId,
                           String previousStream, String courseStream) {
}
