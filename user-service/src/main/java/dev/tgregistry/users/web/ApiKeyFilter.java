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
 * The matched caller is kept as request property {@link #CALLER} for audit rows. Same shape as bot-ingest's
 * {@code IngestSecretFilter}.
 */
public class ApiKeyFilter {
    public static final String CALLER = ApiKeyFilter.class.getName() + ".caller";
    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;

    public ApiKeyFilter(ApiKeys keys) {
        this.keys = keys;
    }

    /** The paths that need a key. */
    static boolean guards(String path) {
        return path.startsWith("/api/");
    }

    @ServerRequestFilter(preMatching = true)
    public Response checkApiKey(ContainerRequestContext request) {
        if (!guards(request.getUriInfo().getPath())) {
            return null;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return ProblemMappers.unauthorized("missing API key: send Authorization: Bearer <key>");
        }
        Optional<ApiKeys.Caller> caller = keys.find(header.substring(BEARER.length()).strip());
        if (caller.isEmpty()) {
            return ProblemMappers.unauthorized("wrong API key");
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
            return ProblemMappers.forbidden("this API key lacks the " + required.value().name().toLowerCase(Locale.ROOT) + " right");
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
