package dev.tgregistry.web;

import jakarta.ws.rs.core.Response;

/**
 * A request the API refuses with {@code status} and a message meant for the caller: the one bad-input exception of
 * both services. The problem's title is the status' reason phrase unless a service names its own.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String title;

    public ApiException(int status, String message) {
        this(status, null, message);
    }

    public ApiException(int status, String title, String message) {
        super(message);
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public ApiProblem problem() {
        return ApiProblem.of(status, title != null ? title : Response.Status.fromStatusCode(status).getReasonPhrase(),
                getMessage());
    }
}
