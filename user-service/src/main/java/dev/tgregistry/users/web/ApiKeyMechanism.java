package dev.tgregistry.users.web;

import dev.tgregistry.web.ApiProblem;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * Reads the API key of a {@code /api/*} request ({@code Authorization: Bearer <key>}) and has
 * {@link ApiKeyIdentityProvider} turn it into the caller's identity. Other paths (OpenAPI, Swagger UI) are served
 * to anyone, whatever they send. A request under {@code /api/} without a key (the HTTP permission in
 * application.properties) or with a wrong one is answered 401 problem+json here, naming which it was.
 */
@ApplicationScoped
public class ApiKeyMechanism implements HttpAuthenticationMechanism {
    static final String GUARDED = "/api/";
    static final String MISSING_KEY = "missing API key: send Authorization: Bearer <key>";
    private static final String BEARER = "Bearer ";

    /** What {@link ApiKeyIdentityProvider} checks: the key as sent. */
    public static final class ApiKeyRequest extends BaseAuthenticationRequest {
        private final String key;

        ApiKeyRequest(String key) {
            this.key = key;
        }

        String key() {
            return key;
        }
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String key = bearerKey(context);
        if (key == null || !context.request().path().startsWith(GUARDED)) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(new ApiKeyRequest(key));
    }

    /** The key of {@code Authorization: Bearer <key>} (the scheme in any case), or null when there is none. */
    private static String bearerKey(RoutingContext context) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return header.substring(BEARER.length()).strip();
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        String detail = bearerKey(context) == null ? MISSING_KEY : "wrong API key";
        ApiProblem problem = ApiProblem.of(401, "Unauthorized", detail);
        context.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, ApiProblem.MEDIA_TYPE)
                .end(Json.encode(problem));
        return Uni.createFrom().item(true);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, null, null));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyRequest.class);
    }
}
