package dev.tgregistry.users.booking;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.tgregistry.users.web.DisplayName;
import dev.tgregistry.users.db.Rows;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;

/** An item of {@code GET /api/bookings}: the original's raw booking row with names (from users, else the booking). */
public record RecentBooking(long id, @JsonSerialize(using = ToStringSerializer.class) long userId, @Schema(nullable = true) String username,
                            @Schema(nullable = true) String firstName, String displayName, @Schema(nullable = true) Integer courseId, @Schema(nullable = true) String courseStream, @Schema(nullable = true) Integer confirmed,
                            @Schema(nullable = true) Instant createdAt, @Schema(nullable = true) String referralCode, @Schema(nullable = true) Integer discountPercent) {

    static RecentBooking of(Row row) {
        return new RecentBooking(row.getLong("id"), row.getLong("user_id"), row.getString("username"),
                row.getString("first_name"), DisplayName.of(row), row.getInteger("course_id"),
                row.getString("course_stream"), row.getInteger("confirmed"), Rows.instant(row, "created_at"),
                row.getString("referral_code"), row.getInteger("discount_percent"));
    }
}
