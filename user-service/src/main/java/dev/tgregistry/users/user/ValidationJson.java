package dev.tgregistry.users.user;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tgregistry.users.reachability.RecipientStatus;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The body of {@code POST /api/users/validate} ({@link Validation}'s shape), written straight from the found users
 * ({@link FoundUsers}, whose {@code valid_users} entries are already JSON): a request of 10,000 ids would otherwise
 * build ~10 MB of summaries, maps and lists per request, a young collection of the service's small heap every other
 * request.
 */
final class ValidationJson {
    private static final RecipientStatus[] STATUSES = RecipientStatus.values();

    private ValidationJson() {
    }

    /**
     * @param requested the distinct requested ids, in request order
     * @param parts     the users found among them, each part by user id ascending and below the next part's ids
     */
    static Buffer write(JsonFactory json, long[] requested, List<FoundUsers> parts) {
        int found = parts.stream().mapToInt(FoundUsers::size).sum();
        long[] foundIds = new long[found];
        RecipientStatus[] foundStatus = new RecipientStatus[found];
        int n = 0;
        for (FoundUsers part : parts) {
            for (int i = 0; i < part.size(); i++, n++) {
                foundIds[n] = part.id(i);
                foundStatus[n] = part.status(i);
            }
        }
        int[] foundAt = new int[requested.length];
        for (int i = 0; i < requested.length; i++) {
            foundAt[i] = Arrays.binarySearch(foundIds, requested[i]);
        }
        Buffer body = Buffer.buffer(64 + found * 130 + requested.length * 40);
        try (JsonGenerator out = json.createGenerator(new BufferOutput(body))) {
            out.writeStartObject();
            out.writeArrayFieldStart("valid_users");
            out.flush();
            String separator = "";
            for (FoundUsers part : parts) {
                if (part.size() > 0) {
                    body.appendString(separator);
                    part.appendEntriesTo(body);
                    separator = ",";
                }
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
            for (FoundUsers part : parts) {
                for (int i = 0; i < part.size(); i++) {
                    if (!part.active(i)) {
                        out.writeString(Long.toString(part.id(i)));
                    }
                }
            }
            out.writeEndArray();
            out.writeNumberField("valid_count", found);
            out.writeNumberField("invalid_count", requested.length - found);
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
}
