package dev.tgregistry.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The error body of both services' HTTP APIs: RFC 9457 problem details plus an {@code error} member
 * holding the same message, so readers of the original {@code {"error": ...}} bodies keep working.
 * A server error (5xx) also carries {@code trace_id}: the id under which the failure was logged (and traced).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiProblem(String type, String title, int status, String detail, String error,
                         @JsonProperty("trace_id") String traceId) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public static ApiProblem of(int status, String title, String detail) {
        return new ApiProblem("about:blank", title, status, detail, detail, null);
    }

    public ApiProblem withTraceId(String id) {
        return new ApiProblem(type, title, status, detail, error, id);
    }
}
