package dev.tgregistry.model;

import com.fasterxml.jackson.databind.JsonNode;

/** Small shared checks used by the records' {@code validate()} methods. */
final class Checks {
    /** Serialized size limit of an event's details: they are served back in lists, so they must stay small. */
    static final int MAX_DETAILS_BYTES = 32 * 1024;

    private Checks() {
    }

    static void positive(String field, Long value) {
        if (value == null) {
            throw new ContractViolation(field, "is required");
        }
        if (value <= 0) {
            throw new ContractViolation(field, "must be a positive integer");
        }
    }

    static void notNull(String field, Object value) {
        if (value == null) {
            throw new ContractViolation(field, "is required");
        }
    }

    /**
     * At most {@code max} characters and {@code 2 * max} UTF-8 bytes (what keeps every index entry built from
     * text fields under PostgreSQL's btree limit), and text PostgreSQL can store.
     */
    static void maxLength(String field, String value, int max) {
        if (value == null) {
            return;
        }
        if (value.length() > max) {
            throw new ContractViolation(field, "must be at most " + max + " characters");
        }
        if (value.length() * 3 > 2 * max && Text.utf8Length(value) > 2 * max) {
            throw new ContractViolation(field, "must be at most " + 2 * max + " bytes in UTF-8");
        }
        storable(field, value);
    }

    static void notBlank(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new ContractViolation(field, "is required");
        }
        maxLength(field, value, max);
    }

    static void storable(String field, String value) {
        String problem = Text.problemIn(value);
        if (problem != null) {
            throw new ContractViolation(field, problem);
        }
    }

    /** Every member name, string and number of a JSON tree must be storable in jsonb; the whole stays small. */
    static void json(String field, JsonNode node) {
        if (node == null) {
            return;
        }
        if (node.toString().length() > MAX_DETAILS_BYTES) {
            throw new ContractViolation(field, "must be at most " + MAX_DETAILS_BYTES + " characters as JSON");
        }
        StorableJson.check(field, node);
    }

    static void schemaVersion(Integer version) {
        if (version != null && version != RegistryRecord.SCHEMA_VERSION) {
            throw new ContractViolation("schema_version", "unsupported version " + version);
        }
    }
}
