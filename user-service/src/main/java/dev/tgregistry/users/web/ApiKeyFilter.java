package dev.tgregistry.users.web;

import dev.tgregistry.web.ProblemMappers;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Locale;
import java.util.Optional;

/**
 * Dashboard and bot endpoints ({@code /api/*}) need {@code Authorization: Bearer <key>} with a key from
 * {@code app.api-keys} (401 otherwise); a method annotated {@link Requires} also needs that right (403 otherwise).
 * The matched caller is kept as request property {@link #CALLER} for audit rows.
 */
public class ApiKeyFilter {
    public static final String CALLER = ApiKeyFilter.class.getName() + ".caller";
    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;

    public ApiKeyFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @ServerRequestFilter(preMatching = true)
    public Response checkApiKey(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/api/")) {
            return null;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return ProblemMappers.problem(401, "Unauthorized", "missing API key: send Authorization: Bearer <key>");
        }
        Optional<ApiKeys.Caller> caller = keys.find(header.substring(BEARER.length()).strip());
        if (caller.isEmpty()) {
            return ProblemMappers.problem(401, "Unauthorized", "wrong API key");
        }
        request.setProperty(CALLER, caller.get());
        return null;
    }

    @ServerRequestFilter
    public Response checkRight(ContainerRequestContext request, ResourceInfo resource) {
        Requires required = requiredRight(resource);
        if (required == null) {
            return null;
        }
        ApiKeys.Caller caller = (ApiKeys.Caller) request.getProperty(CALLER);
        if (caller == null || !caller.rights().contains(required.value())) {
            return ProblemMappers.problem(403, "Forbidden",
                    "this API key lacks the " + required.value().name().toLowerCase(Locale.ROOT) + " right");
        }
        return null;
    }

    private static Requires requiredRight(ResourceInfo resource) {
        if (resource == null || resource.getResourceMethod() == null) {
            return null;
        }
        Requires onMethod = resource.getResourceMethod().getAnnotation(Requires.class);
        return onMethod != null ? onMethod : resource.getResourceClass().getAnnotation(Requires.class);
    }
}
