package dev.tgregistry.model;

/** A record (or an HTTP payload that becomes one) breaks its contract; {@code field} names the offending member. */
public class ContractViolation extends RuntimeException {
    private final String field;
    private final String reason;

    public ContractViolation(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    /** The same violation for a record nested at {@code prefix} (e.g. {@code [3].}) of a larger document. */
    public ContractViolation at(String prefix) {
        return new ContractViolation(prefix + field, reason);
    }
}
