package dev.tgregistry.ingest.web;

import dev.tgregistry.web.ProblemMappers;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Every ingest endpoint requires the shared secret Telegram's webhook sends in its own header. */
public class IngestSecretFilter {
    public static final String HEADER = "X-Telegram-Bot-Api-Secret-Token";

    private final byte[] secret;

    public IngestSecretFilter(@ConfigProperty(name = "app.ingest-secret") String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The paths that need the secret. */
    static boolean guards(String path) {
        return path.startsWith("/telegram/") || path.startsWith("/bot/");
    }

    @ServerRequestFilter
    public Response checkSecret(ContainerRequestContext request) {
        if (!guards(request.getUriInfo().getPath())) {
            return null;
        }
        String given = request.getHeaderString(HEADER);
        // MessageDigest.isEqual takes the same time whatever the first differing byte is
        if (given == null || !MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8))) {
            return ProblemMappers.problem(401, "Unauthorized",
                    given == null ? "missing " + HEADER + " header" : "wrong " + HEADER + " header");
        }
        return null;
    }
}
