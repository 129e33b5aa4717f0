package dev.tgregistry.ingest.web;

import dev.tgregistry.web.ProblemMappers;
import dev.tgregistry.web.Secrets;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Ingest endpoints ({@code /telegram/*}, {@code /bot/*}) need the shared secret Telegram's webhook sends in
 * {@value #HEADER} (401 otherwise). Same shape as user-service's {@code ApiKeyFilter}.
 */
public class IngestSecretFilter {
    public static final String HEADER = "X-Telegram-Bot-Api-Secret-Token";

    private final byte[] secret;

    public IngestSecretFilter(@ConfigProperty(name = "app.ingest-secret") String secret) {
        this.secret = Secrets.bytes(secret);
    }

    /** The paths that need the secret. */
    static boolean guards(String path) {
        return path.startsWith("/telegram/") || path.startsWith("/bot/");
    }

    @ServerRequestFilter(preMatching = true)
    public Response checkSecret(ContainerRequestContext request) {
        if (!guards(request.getUriInfo().getPath())) {
            return null;
        }
        String given = request.getHeaderString(HEADER);
        if (!Secrets.matches(secret, given)) {
            return ProblemMappers.unauthorized(given == null ? "missing " + HEADER + " header" : "wrong " + HEADER + " header");
        }
        return null;
    }
}
