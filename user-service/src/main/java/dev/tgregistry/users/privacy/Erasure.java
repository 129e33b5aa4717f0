package dev.tgregistry.users.privacy;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.time.Instant;
import java.util.Map;

/**
 * {@code DELETE /api/users/{id}}: when the person was erased, and per table how many rows were deleted or kept
 * without identifying data (anonymized).
 */
public record Erasure(@JsonSerialize(using = ToStringSerializer.class) long userId, Instant erasedAt,
                      Map<String, Integer> deleted, Map<String, Integer> anonymized) {
}
