package dev.tgregistry.web;

/** The request's {@code If-Match} names a version that is not the current one: 412. */
public class PreconditionFailed extends ApiException {
    public PreconditionFailed(String message) {
        super(412, message);
    }
}
