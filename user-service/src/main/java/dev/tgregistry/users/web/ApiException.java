package dev.tgregistry.users.web;

/** A request the API refuses with {@code status} and a message meant for the caller. */
public class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
