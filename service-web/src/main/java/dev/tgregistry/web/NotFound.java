package dev.tgregistry.web;

/** What the request names does not exist: 404 (answered by {@link ProblemMappers}, as every {@link ApiException}). */
public class NotFound extends ApiException {
    public NotFound(String message) {
        super(404, message);
    }
}
