package dev.tgregistry.users.user;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tgregistry.users.reachability.RecipientStatus;
import dev.tgregistry.users.web.DisplayName;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The body of {@code POST /api/users/validate} ({@link Validation}'s shape), written straight from the looked-up
 * rows: a request of 10,000 ids would otherwise build ~10 MB of summaries, maps and lists per request, a young
 * collection of the service's small heap every other request.
 */
final class ValidationJson {
    private static final RecipientStatus[] STATUSES = RecipientStatus.values();

    private ValidationJson() {
    }

    /**
     * @param requested the distinct requested ids, in request order
     * @param found     the {@link UserRepository#BY_IDS} rows of those ids that are users, by user id ascending
     */
    static Buffer write(JsonFactory json, long[] requested, List<Row> found) {
        long[] foundIds = new long[found.size()];
        RecipientStatus[] foundStatus = new RecipientStatus[found.size()];
        for (int i = 0; i < foundIds.length; i++) {
            Row row = found.get(i);
            foundIds[i] = row.getLong("user_id");
            foundStatus[i] = RecipientStatus.of(row.getString("status"));
        }
        int[] foundAt = new int[requested.length];
        for (int i = 0; i < requested.length; i++) {
            foundAt[i] = Arrays.binarySearch(foundIds, requested[i]);
        }
        Buffer body = Buffer.buffer(64 + found.size() * 130 + requested.length * 40);
        try (JsonGenerator out = json.createGenerator(new BufferOutput(body))) {
            out.writeStartObject();
            out.writeArrayFieldStart("valid_users");
            for (Row row : found) {
                long userId = row.getLong("user_id");
                String username = row.getString("username");
                String firstName = row.getString("first_name");
                out.writeStartObject();
                out.writeStringField("user_id", Long.toString(userId));
                out.writeStringField("username", username);
                out.writeStringField("first_name", firstName);
                out.writeStringField("display_name", DisplayName.of(userId, username, firstName, row.getString("last_name")));
                out.writeBooleanField("is_active", row.getBoolean("is_active"));
                out.writeBooleanField("reachable_by_dm", row.getBoolean("reachable_by_dm"));
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeArrayFieldStart("invalid_user_ids");
            for (int i = 0; i < requested.length; i++) {
                if (foundAt[i] < 0) {
                    out.writeString(Long.toString(requested[i]));
                }
            }
            out.writeEndArray();
            out.writeArrayFieldStart("inactive_user_ids");
            for (Row row : found) {
                if (!row.getBoolean("is_active")) {
                    out.writeString(Long.toString(row.getLong("user_id")));
                }
            }
            out.writeEndArray();
            out.writeNumberField("valid_count", found.size());
            out.writeNumberField("invalid_count", requested.length - found.size());
            int[] counts = new int[STATUSES.length];
            out.writeObjectFieldStart("statuses");
            for (int i = 0; i < requested.length; i++) {
                RecipientStatus status = foundAt[i] < 0 ? RecipientStatus.UNKNOWN : foundStatus[foundAt[i]];
                counts[status.ordinal()]++;
                out.writeStringField(Long.toString(requested[i]), status.code());
            }
            out.writeEndObject();
            out.writeObjectFieldStart("status_counts");
            for (RecipientStatus status : STATUSES) {
                out.writeNumberField(status.code(), counts[status.ordinal()]);
            }
            out.writeEndObject();
            out.writeEndObject();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return body;
    }

    private static final class BufferOutput extends OutputStream {
        private final Buffer buffer;

        BufferOutput(Buffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public void write(int b) {
            buffer.appendByte((byte) b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            buffer.appendBytes(bytes, offset, length);
        }
    }
}
