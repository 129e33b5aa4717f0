package dev.tgregistry.users.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.SecurityContext;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.security.Principal;

/**
 * Puts the caller's key id (the principal's name, never the key) into the log context (MDC) of the request as
 * {@value #KEY_ID}, which the JSON log prints with a line the request's code writes. Traces carry it as
 * {@code enduser.id} ({@code quarkus.otel.traces.add-end-user-attributes}).
 */
public class CallerLogContext {
    static final String KEY_ID = "keyId";

    @ServerRequestFilter
    public void filter(ContainerRequestContext request) {
        keyIdInLogs(request.getSecurityContext());
    }

    void keyIdInLogs(SecurityContext security) {
        Principal caller = security.getUserPrincipal();
        if (caller != null) {
            MDC.put(KEY_ID, caller.getName());
        }
    }
}
