package dev.tgregistry.web;

import dev.tgregistry.model.Text;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Map;

/**
 * Every decoded path and query parameter, and the headers read as data, must be text PostgreSQL can store (the
 * records' rule, {@link Text#problemIn}): a NUL ({@code %00}) is a 400 naming the parameter before any resource
 * or SQL statement sees it.
 */
public class ParameterHygiene {
    private static final List<String> DATA_HEADERS = List.of("If-Match");

    @ServerRequestFilter
    public Response check(ContainerRequestContext request) {
        String refused = firstProblem(request.getUriInfo().getPathParameters(), "path parameter ");
        if (refused == null) {
            refused = firstProblem(request.getUriInfo().getQueryParameters(), "");
        }
        for (int i = 0; refused == null && i < DATA_HEADERS.size(); i++) {
            String problem = Text.problemIn(request.getHeaderString(DATA_HEADERS.get(i)));
            refused = problem == null ? null : "header " + DATA_HEADERS.get(i) + " " + problem;
        }
        return refused == null ? null : ProblemMappers.problem(400, "Bad Request", refused);
    }

    private static String firstProblem(MultivaluedMap<String, String> parameters, String kind) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String problem = Text.problemIn(parameter.getKey());
            if (problem != null) {
                return "a " + (kind.isEmpty() ? "query " : kind) + "parameter name " + problem;
            }
            for (String value : parameter.getValue()) {
                problem = Text.problemIn(value);
                if (problem != null) {
                    return kind + parameter.getKey() + " " + problem;
                }
            }
        }
        return null;
    }
}
