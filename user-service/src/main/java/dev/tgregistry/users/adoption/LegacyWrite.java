package dev.tgregistry.users.adoption;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** A row a bot wrote into an adopted table (its capture trigger queued it); {@code row} is the row as JSON. */
record LegacyWrite(long id, String botTable, String operation, JsonObject row, Instant writtenAt) {
    static final String DELETE = "DELETE";
}
