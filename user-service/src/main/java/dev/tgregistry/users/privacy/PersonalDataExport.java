package dev.tgregistry.users.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code GET /api/users/{id}/export}: everything the registry holds about the person.
 *
 * @param exportedAt when (ISO-8601, UTC)
 * @param tables     per table, its rows as stored (column → value)
 */
public record PersonalDataExport(
        @JsonSerialize(using = ToStringSerializer.class) long userId,
        @Schema(format = "date-time") String exportedAt,
        @Schema(implementation = ExportedTables.class) JsonNode tables) {

    /** The documented shape of {@code tables}. */
    @Schema(name = "ExportedTables", type = SchemaType.OBJECT, additionalProperties = ExportedRow[].class,
            description = "Table name → the person's rows in it, each an object of column → value")
    interface ExportedTables {
    }

    /** One row of a table as stored: column → value. */
    @Schema(name = "ExportedRow", type = SchemaType.OBJECT, additionalProperties = Schema.True.class)
    interface ExportedRow {
    }
}
