package dev.tgregistry.users.reachability;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The body of {@code POST /api/users/send-results} as documented; {@link SendResults} reads it. */
@Schema(name = "SendResultsRequest")
public record SendResultsRequest(
        @Schema(required = true, minItems = 1, maxItems = SendResults.MAX,
                description = "One item per message the dashboard tried to send") List<Item> results) {

    /** One send: {@code ok: true}, or Telegram's {@code error_code} and {@code description}. */
    @Schema(name = "SendResultItem")
    public record Item(
            @Schema(required = true, description = "The recipient's Telegram user id, as a string (a number is accepted too)",
                    examples = "7950001") String userId,
            @Schema(description = "true when Telegram delivered the message; then error_code must be absent") Boolean ok,
            @Schema(description = "Telegram's error_code when the send failed (only 403 changes anything)", minimum = "100",
                    maximum = "599", examples = "403") Integer errorCode,
            @Schema(description = "Telegram's description of the failure", maxLength = SendResults.MAX_DESCRIPTION,
                    examples = "Forbidden: bot was blocked by the user") String description,
            @Schema(required = true, description = "When the send was attempted: ISO-8601 with offset, not before 2013 "
                    + "and at most 5 minutes ahead of the registry's clock", examples = "2026-11-20T10:16:00Z") String at) {
    }
}
