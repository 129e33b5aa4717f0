package dev.tgregistry.model;

/** Small shared checks used by the records' {@code validate()} methods. */
final class Checks {
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

    static void maxLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new ContractViolation(field, "must be at most " + max + " characters");
        }
    }

    static void notBlank(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new ContractViolation(field, "is required");
        }
        maxLength(field, value, max);
    }

    static void schemaVersion(Integer version) {
        if (version != null && version != RegistryRecord.SCHEMA_VERSION) {
            throw new ContractViolation("schema_version", "unsupported version " + version);
        }
    }
}
