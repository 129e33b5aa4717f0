package dev.tgregistry.users.names;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import dev.tgregistry.users.db.Rows;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;

/** A (username, first name, last name) a user has had, its first and last sighting, and whether it is the current one. */
public record NameRecord(@Schema(nullable = true) String username, @Schema(nullable = true) String firstName, @Schema(nullable = true) String lastName, @Schema(nullable = true) Instant firstSeenAt, @Schema(nullable = true) Instant lastSeenAt,
                         boolean current) {
    static NameRecord of(Row row) {
        return new NameRecord(row.getString("username"), row.getString("first_name"), row.getString("last_name"),
                Rows.instant(row, "first_seen_at"), Rows.instant(row, "last_seen_at"), row.getBoolean("current"));
    }
}
