package dev.tgregistry.web;

/** The request contradicts the current state (a value taken, work still going on): 409. */
public class Conflict extends ApiException {
    public Conflict(String message) {
        super(409, message);
    }

    public Conflict(String title, String message) {
        super(409, title, message);
    }
}
