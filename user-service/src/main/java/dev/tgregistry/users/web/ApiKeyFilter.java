package dev.tgregistry.users.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** Dashboard endpoints ({@code /api/*}) need {@code Authorization: Bearer <key>} with a key from {@code app.api-keys}. */
public class ApiKeyFilter {
    private static final String BEARER = "Bearer ";

    private final List<byte[]> keys;

    public ApiKeyFilter(@ConfigProperty(name = "app.api-keys") List<String> keys) {
        this.keys = keys.stream().map(String::strip).filter(key -> !key.isEmpty())
                .map(key -> key.getBytes(StandardCharsets.UTF_8)).toList();
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
        byte[] given = header.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        boolean known = false;
        for (byte[] key : keys) {
            // constant time per key, and every key is compared
            known |= MessageDigest.isEqual(key, given);
        }
        return known ? null : ProblemMappers.problem(401, "Unauthorized", "wrong API key");
    }
}
