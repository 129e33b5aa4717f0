package dev.tgregistry.users.web;

import dev.tgregistry.web.ProblemMappers;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a body over {@value #MAX_BYTES} bytes before anything reads it (413 problem+json), so a huge request
 * cannot fill the heap. The HTTP server's own limit ({@code quarkus.http.limits.max-body-size}, 16 MiB) answers a plain
 * 413 for bodies over it and for chunked bodies that grow past it.
 */
public class BodyLimitFilter {
    public static final long MAX_BYTES = 1024 * 1024;

    @ServerRequestFilter(preMatching = true)
    public Response checkLength(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return null;
        }
        long bytes;
        try {
            bytes = Long.parseLong(length.strip());
        } catch (NumberFormatException malformed) {
            return ProblemMappers.problem(400, "Bad Request", "Content-Length must be a number of bytes");
        }
        return bytes > MAX_BYTES
                ? ProblemMappers.problem(413, "Content Too Large", "request body of " + bytes + " bytes exceeds the limit of 1 MiB")
                : null;
    }
}
