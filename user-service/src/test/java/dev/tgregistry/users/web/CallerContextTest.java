package dev.tgregistry.users.web;

import io.opentelemetry.api.trace.Span;
import jakarta.ws.rs.core.SecurityContext;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.security.Principal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The log context of a request names the caller by the principal's name (the key id) and only then (spans: ApiKeyTracingTest). */
class CallerContextTest {
    @AfterEach
    void clear() {
        MDC.remove(CallerContext.KEY_ID);
    }

    @Test
    void aCallerWithAKeyIsNamedByItsId() {
        new CallerContext().name(context(() -> "key-0123456789ab"), Span.getInvalid());
        assertEquals("key-0123456789ab", MDC.get(CallerContext.KEY_ID));
    }

    @Test
    void anAnonymousRequestNamesNoOne() {
        new CallerContext().name(context(null), Span.getInvalid());
        assertNull(MDC.get(CallerContext.KEY_ID));
    }

    private static SecurityContext context(Principal principal) {
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }

            @Override
            public boolean isSecure() {
                return false;
            }

            @Override
            public String getAuthenticationScheme() {
                return "Bearer";
            }
        };
    }
}
