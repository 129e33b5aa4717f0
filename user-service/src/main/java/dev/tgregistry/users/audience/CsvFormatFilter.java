package dev.tgregistry.users.audience;

import dev.tgregistry.web.ProblemMappers;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Locale;

/**
 * {@code ?format=csv} / {@code ?format=json} on an {@code /api/*} list is the same as sending
 * {@code Accept: text/csv} / {@code Accept: application/json} (a link or a browser cannot set headers); any other
 * value is a 400 naming {@code format}.
 */
public class CsvFormatFilter {
    @ServerRequestFilter(preMatching = true, priority = Priorities.USER + 10) // after the API key check
    public Response formatToAccept(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/api/")) {
            return null;
        }
        String format = request.getUriInfo().getQueryParameters().getFirst("format");
        if (format == null || format.isBlank()) {
            return null;
        }
        String accept = switch (format.strip().toLowerCase(Locale.ROOT)) {
            case "csv" -> Csv.MEDIA_TYPE;
            case "json" -> MediaType.APPLICATION_JSON;
            default -> null;
        };
        if (accept == null) {
            return ProblemMappers.problem(400, "Bad Request", "format must be json or csv");
        }
        request.getHeaders().putSingle(HttpHeaders.ACCEPT, accept);
        return null;
    }
}
