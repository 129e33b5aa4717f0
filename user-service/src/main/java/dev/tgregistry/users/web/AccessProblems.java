package dev.tgregistry.users.web;

import dev.tgregistry.web.ProblemMappers;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import java.lang.reflect.Method;

/**
 * A valid key without the right a method's {@code @RolesAllowed} names: 403 problem+json naming that right. (A
 * request without a key never reaches a resource: {@link ApiKeyMechanism} answers it; should one, it is a 401.)
 */
public class AccessProblems {
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException refused) {
        return ProblemMappers.unauthorized(ApiKeyMechanism.MISSING_KEY);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException refused, SimpleResourceInfo resource) {
        return ProblemMappers.forbidden("this API key lacks the " + requiredRight(resource) + " right");
    }

    private static String requiredRight(SimpleResourceInfo resource) {
        try {
            Method method = resource.getResourceClass().getMethod(resource.getMethodName(), resource.parameterTypes());
            RolesAllowed allowed = method.getAnnotation(RolesAllowed.class);
            if (allowed == null) {
                allowed = resource.getResourceClass().getAnnotation(RolesAllowed.class);
            }
            return allowed == null ? "required" : String.join(" or ", allowed.value());
        } catch (NoSuchMethodException unknown) {
            return "required";
        }
    }
}
