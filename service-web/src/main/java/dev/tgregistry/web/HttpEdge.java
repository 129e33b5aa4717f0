package dev.tgregistry.web;

import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The first handler of the API port after CORS, before authentication, the server's own body limit and any filter or
 * resource: a request over a size limit ({@link RequestLimits}) or with a path that is not exact ({@link ExactPaths})
 * is answered here with problem+json, whoever sent it. Health and metrics (the management port) are not affected.
 */
@Singleton
public class HttpEdge {
    private final RequestLimits limits;

    public HttpEdge(RequestLimits limits) {
        this.limits = limits;
    }

    void install(@Observes Router router) {
        // Quarkus runs its security handlers at order -priority: authentication is -200
        router.route().order(-SecurityHandlerPriorities.AUTHENTICATION - 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        ApiProblem problem = limits.check(context.request());
        if (problem == null) {
            problem = ExactPaths.check(context.request().path());
        }

        if (problem == null) {
            context.next();
            return;
        }
        context.response().setStatusCode(problem.status()).putHeader("Content-Type", ApiProblem.MEDIA_TYPE)
                .end(Json.encode(problem));
    }
}
