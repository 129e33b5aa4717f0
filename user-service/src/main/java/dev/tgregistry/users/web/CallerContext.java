package dev.tgregistry.users.web;

import io.opentelemetry.api.trace.Span;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.SecurityContext;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.security.Principal;

/**
 * Names the caller by its key id (the principal's name, never the key) in the request's log context (MDC
 * {@value #KEY_ID}, which the JSON log prints with a line the request's code writes) and on the request's span
 * ({@value #SPAN_ATTRIBUTE}, OpenTelemetry's name for it).
 */
public class CallerContext {
    static final String KEY_ID = "keyId";
    static final String SPAN_ATTRIBUTE = "enduser.id";

    @ServerRequestFilter
    public void filter(ContainerRequestContext request) {
        name(request.getSecurityContext(), Span.current());
    }

    void name(SecurityContext security, Span span) {
        Principal caller = security.getUserPrincipal();
        if (caller != null) {
            MDC.put(KEY_ID, caller.getName());
            span.setAttribute(SPAN_ATTRIBUTE, caller.getName());
        }
    }
}
