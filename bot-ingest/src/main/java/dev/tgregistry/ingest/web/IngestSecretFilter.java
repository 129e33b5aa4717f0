package dev.tgregistry.ingest.web;

import dev.tgregistry.ingest.IngestConfig;
import dev.tgregistry.web.ProblemMappers;
import dev.tgregistry.web.Secrets;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Arrays;
import java.util.List;

/**
 * Ingest endpoints ({@code /telegram/*}, {@code /bot/*}) need the shared secret Telegram's webhook sends in
 * {@value #HEADER} (401 otherwise). The setting may list several secrets, comma-separated, each accepted: so a secret
 * is rotated without downtime (Telegram's secret_token never contains a comma: its characters are A-Z, a-z, 0-9, _
 * and -). A plain filter, not Quarkus Security: every caller is the one bot with the one right, so there is no
 * principal to log and no role to check (user-service's API keys, which have both, use Quarkus Security).
 */
public class IngestSecretFilter {
    public static final String HEADER = "X-Telegram-Bot-Api-Secret-Token";

    private final List<byte[]> secrets;

    public IngestSecretFilter(IngestConfig config) {
        this.secrets = parse(config.ingestSecret());
    }

    /** The comma-separated secrets, blanks around them and empty entries ignored; at least one. */
    static List<byte[]> parse(String setting) {
        List<byte[]> secrets = Arrays.stream(setting.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(Secrets::bytes).toList();
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("app.ingest-secret (APP_INGEST_SECRET) lists no secret");
        }
        return secrets;
    }

    /** {@code given} equals one of {@code secrets}; every one is compared, so the time says nothing of which. */
    static boolean accepted(List<byte[]> secrets, String given) {
        if (given == null) {
            return false;
        }
        byte[] candidate = Secrets.bytes(given);
        boolean match = false;
        for (byte[] secret : secrets) {
            match |= Secrets.matches(secret, candidate);
        }
        return match;
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
        if (!accepted(secrets, given)) {
            return ProblemMappers.unauthorized(given == null ? "missing " + HEADER + " header" : "wrong " + HEADER + " header");
        }
        return null;
    }
}
