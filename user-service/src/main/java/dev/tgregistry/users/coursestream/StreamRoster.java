package dev.tgregistry.users.coursestream;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.tgregistry.users.reachability.UserFlags;
import dev.tgregistry.users.web.DisplayName;
import dev.tgregistry.users.db.Rows;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;
import java.util.List;

/**
 * A page of {@code GET /api/stream-students}: everyone with a booking in the stream, plus the configured campaign's
 * viewers. {@code total} counts all rows of the list (as of the walk's start), not the page; {@code nextCursor} is
 * null on the last page.
 */
public record StreamRoster(String stream, long total, List<Student> students, @Schema(nullable = true) String nextCursor) {

    /**
     * One person: {@code source} "booking" (newest booking in the stream, any status) or "viewed" (viewed the
     * program, no booking in the stream; {@code confirmed} null, {@code created_at} = first view).
     */
    public record Student(@JsonSerialize(using = ToStringSerializer.class) long userId, @Schema(nullable = true) String username, @Schema(nullable = true) String firstName,
                          String displayName, @Schema(nullable = true) Integer confirmed, @Schema(nullable = true) Instant createdAt, @Schema(nullable = true) Instant lastActivity, long eventsCount,
                          String source, boolean isActive, boolean reachableByDm) {
        static Student of(Row row) {
            long id = row.getLong("user_id");
            String username = row.getString("username");
            String firstName = row.getString("first_name");
            return new Student(id, username, firstName, DisplayName.of(id, username, firstName, row.getString("last_name")),
                    row.getInteger("confirmed"), Rows.instant(row, "created_at"), Rows.instant(row, "last_activity"),
                    row.getLong("events_count"), row.getString("source"), UserFlags.isActive(row), UserFlags.reachableByDm(row));
        }
    }
}
