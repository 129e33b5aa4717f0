package dev.tgregistry.users.names;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.util.List;

/** {@code GET /api/users/{id}/names}: every name the user has had, oldest first. */
public record UserNames(@JsonSerialize(using = ToStringSerializer.class) long userId, List<NameRecord> names) {
}
