package dev.tgregistry.users.booking;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.tgregistry.users.db.Rows;
import io.vertx.mutiny.sqlclient.Row;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** A booking as the API shows it: as the original dashboard read it (with {@code user_id}), plus {@code changed_at}. */
@Schema(name = "Booking")
public record BookingView(long id, @JsonSerialize(using = ToStringSerializer.class) long userId, @Schema(nullable = true) Integer courseId,
                          @Schema(nullable = true) String courseStream, @Schema(nullable = true) Integer confirmed, @Schema(nullable = true) Instant createdAt,
                          @Schema(nullable = true) String referralCode, @Schema(nullable = true) Integer discountPercent, @Schema(nullable = true) Instant changedAt) {
    static BookingView of(Row row) {
        return new BookingView(row.getLong("id"), row.getLong("user_id"), row.getInteger("course_id"), row.getString("course_stream"),
                row.getInteger("confirmed"), Rows.instant(row, "created_at"), row.getString("referral_code"),
                row.getInteger("discount_percent"), Rows.instant(row, "changed_at"));
    }
}
