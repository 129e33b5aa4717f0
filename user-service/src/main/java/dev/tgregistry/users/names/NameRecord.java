package dev.tgregistry.users.names;

import dev.tgregistry.users.db.Rows;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;

/** A (username, first name, last name) a user has had, its first and last sighting, and whether it is the current one. */
public record NameRecord(String username, String firstName, String lastName, Instant firstSeenAt, Instant lastSeenAt,
                         boolean current) {
    static NameRecord of(Row row) {
        return new NameRecord(row.getString("username"), row.getString("first_name"), row.getString("last_name"),
                Rows.instant(row, "first_seen_at"), Rows.instant(row, "last_seen_at"), row.getBoolean("current"));
    }
}
