package dev.tgregistry.users.reachability;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The answer to {@code POST /api/users/send-results}. */
public record SendResultsReport(
        @Schema(description = "Items in the request") int received,
        @Schema(description = "Users whose reachability changed (a failure recorded, or a block or failure ended by a delivery)")
        int changed,
        @Schema(description = "Items whose error says nothing about the user (not 403: flood wait, bad request, server error)")
        int ignored,
        @Schema(description = "User ids the registry does not hold (never seen, or erased): nothing is stored for them")
        @JsonSerialize(contentUsing = ToStringSerializer.class) List<Long> unknownUserIds) {
}
