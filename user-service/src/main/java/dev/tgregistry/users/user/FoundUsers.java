package dev.tgregistry.users.user;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tgregistry.users.reachability.RecipientStatus;
import dev.tgregistry.users.web.DisplayName;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.stream.Collector;

/**
 * The users one validate lookup found ({@link UserRepository#BY_IDS}), folded row by row as the rows are decoded:
 * their ids, statuses and whether active, and their {@code valid_users} entries already written as JSON. A request
 * thus never holds its up to 10,000 rows: a young collection during a request found them alive and promoted them,
 * and the small old generation then needed a serial full collection (78-132 ms) every few dozen requests, which was
 * validate's p99 (docs/DESIGN.md "Reachability").
 */
final class FoundUsers {
    private static final RecipientStatus[] STATUSES = RecipientStatus.values();

    private long[] ids;
    private byte[] statuses;
    private boolean[] active;
    private int size;
    private final Buffer entries;
    private final JsonGenerator out;

    private FoundUsers(JsonFactory json, int expected) {
        ids = new long[Math.max(16, expected)];
        statuses = new byte[ids.length];
        active = new boolean[ids.length];
        entries = Buffer.buffer(64 + expected * 130);
        try {
            out = json.createGenerator(new BufferOutput(entries));
            out.writeStartArray();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }

    /** Folds the rows of a lookup of {@code requested} ids (by user id ascending) into one {@code FoundUsers}. */
    static Collector<Row, FoundUsers, FoundUsers> collector(JsonFactory json, int requested) {
        return Collector.of(() -> new FoundUsers(json, requested), FoundUsers::add,
                (a, b) -> {
                    throw new UnsupportedOperationException("rows arrive in order, one statement at a time");
                }, FoundUsers::finish);
    }

    private void add(Row row) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            statuses = Arrays.copyOf(statuses, size * 2);
            active = Arrays.copyOf(active, size * 2);
        }
        long userId = row.getLong("user_id");
        boolean isActive = row.getBoolean("is_active");
        ids[size] = userId;
        statuses[size] = (byte) RecipientStatus.of(row.getString("status")).ordinal();
        active[size] = isActive;
        size++;
        String username = row.getString("username");
        String firstName = row.getString("first_name");
        try {
            out.writeStartObject();
            out.writeStringField("user_id", Long.toString(userId));
            out.writeStringField("username", username);
            out.writeStringField("first_name", firstName);
            out.writeStringField("display_name", DisplayName.of(userId, username, firstName, row.getString("last_name")));
            out.writeBooleanField("is_active", isActive);
            out.writeBooleanField("reachable_by_dm", row.getBoolean("reachable_by_dm"));
            out.writeEndObject();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }

    private FoundUsers finish() {
        try {
            out.writeEndArray();
            out.close();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return this;
    }

    int size() {
        return size;
    }

    long id(int i) {
        return ids[i];
    }

    RecipientStatus status(int i) {
        return STATUSES[statuses[i]];
    }

    boolean active(int i) {
        return active[i];
    }

    /** The {@code valid_users} entries, comma-separated, without the enclosing brackets. */
    void appendEntriesTo(Buffer body) {
        body.appendBuffer(entries, 1, entries.length() - 2);
    }
}
