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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Validation} straight from the looked-up rows into the response buffer, member by member as Jackson
 * would serialize the record: a 10,000-id answer is ~1.5 MB, and building its objects, maps and lists first cost
 * a young collection every other request at the service's heap size.
 */
final class ValidationJson {
    /** About what one known user takes in the answer, to size the buffer once. */
    private static final int BYTES_PER_ID = 160;
    private static final JsonFactory JSON = new JsonFactory();

    private ValidationJson() {
    }

    /** @param distinct the requested ids, duplicates removed, in request order; @param found their users rows ({@code UserRepository.BY_IDS}) */
    static Buffer write(long[] distinct, List<? extends Iterable<Row>> found) {
        Buffer body = Buffer.buffer(distinct.length * BYTES_PER_ID);
        try (JsonGenerator json = JSON.createGenerator(new BufferOutput(body))) {
            Map<Long, RecipientStatus> statusOf = new HashMap<>(distinct.length * 2);
            json.writeStartObject();
            json.writeArrayFieldStart("valid_users");
            for (Iterable<Row> rows : found) {
                for (Row row : rows) {
                    statusOf.put(row.getLong("user_id"), RecipientStatus.of(row.getString("status")));
                    writeUser(json, row);
                }
            }
            json.writeEndArray();
            int invalid = 0;
            json.writeArrayFieldStart("invalid_user_ids");
            for (long id : distinct) {
                if (!statusOf.containsKey(id)) {
                    json.writeString(Long.toString(id));
                    invalid++;
                }
            }
            json.writeEndArray();
            json.writeArrayFieldStart("inactive_user_ids");
            for (Iterable<Row> rows : found) {
                for (Row row : rows) {
                    if (!row.getBoolean("is_active")) {
                        json.writeString(Long.toString(row.getLong("user_id")));
                    }
                }
            }
            json.writeEndArray();
            json.writeNumberField("valid_count", statusOf.size());
            json.writeNumberField("invalid_count", invalid);
            Map<RecipientStatus, Integer> counts = new EnumMap<>(RecipientStatus.class);
            json.writeObjectFieldStart("statuses");
            for (long id : distinct) {
                RecipientStatus status = statusOf.getOrDefault(id, RecipientStatus.UNKNOWN);
                json.writeStringField(Long.toString(id), status.code());
                counts.merge(status, 1, Integer::sum);
            }
            json.writeEndObject();
            json.writeObjectFieldStart("status_counts");
            for (RecipientStatus status : RecipientStatus.values()) {
                json.writeNumberField(status.code(), counts.getOrDefault(status, 0));
            }
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return body;
    }

    /** A {@link UserSummary}'s members, in its order. */
    private static void writeUser(JsonGenerator json, Row row) throws IOException {
        json.writeStartObject();
        json.writeStringField("user_id", Long.toString(row.getLong("user_id")));
        json.writeStringField("username", row.getString("username"));
        json.writeStringField("first_name", row.getString("first_name"));
        json.writeStringField("display_name", DisplayName.of(row));
        json.writeBooleanField("is_active", row.getBoolean("is_active"));
        json.writeBooleanField("reachable_by_dm", row.getBoolean("reachable_by_dm"));
        json.writeEndObject();
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
