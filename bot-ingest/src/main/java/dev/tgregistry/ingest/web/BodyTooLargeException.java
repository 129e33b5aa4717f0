package dev.tgregistry.ingest.web;

/** The request body is over the ingest limit (HTTP 413). */
public class BodyTooLargeException extends RuntimeException {
    public BodyTooLargeException(String message) {
        super(message);
    }
}
