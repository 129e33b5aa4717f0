package dev.tgregistry.model;

/** A record (or an HTTP payload that becomes one) breaks its contract; {@code field} names the offending member. */
public class ContractViolation extends RuntimeException {
    private final String field;

    public ContractViolation(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
