package dev.tgregistry.users.web;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The identity of a configured API key: principal = the key's id (never the key: the principal's name reaches logs,
 * traces and audit rows), roles = its rights ({@link Rights}). An unknown key fails authentication (401).
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyMechanism.ApiKeyRequest> {
    private final ApiKeys keys;

    public ApiKeyIdentityProvider(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Class<ApiKeyMechanism.ApiKeyRequest> getRequestType() {
        return ApiKeyMechanism.ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyMechanism.ApiKeyRequest request, AuthenticationRequestContext context) {
        return keys.find(request.key())
                .map(caller -> Uni.createFrom().<SecurityIdentity>item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(caller.keyId())).addRoles(caller.rights()).build()))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("wrong API key")));
    }
}
