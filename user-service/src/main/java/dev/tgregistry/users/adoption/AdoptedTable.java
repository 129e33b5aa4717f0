package dev.tgregistry.users.adoption;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * A bot table the registry adopted, as {@code GET /api/admin/adoption} shows it.
 *
 * @param legacyWrites      rows the bot wrote into it since adoption (applied to the registry)
 * @param lastLegacyWriteAt when the bot last wrote a row into it; null: never since adoption
 * @param backfilledAt      when the rows that existed at adoption were all copied; null: still copying
 * @param finishedAt        when the compatibility layer was removed; null: still adopted
 */
public record AdoptedTable(String botTable, String shape, Instant adoptedAt, @Schema(nullable = true) Instant backfilledAt,
                           long legacyWrites, @Schema(nullable = true) Instant lastLegacyWriteAt,
                           @Schema(nullable = true) Instant finishedAt) {
}
