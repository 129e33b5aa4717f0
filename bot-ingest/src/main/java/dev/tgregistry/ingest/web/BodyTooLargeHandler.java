package dev.tgregistry.ingest.web;

import dev.tgregistry.model.ApiProblem;
import dev.tgregistry.model.RecordJson;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Vert.x rejects bodies over {@code quarkus.http.limits.max-body-size} before REST sees them;
 * this gives that 413 the same problem+json body as every other error.
 */
@ApplicationScoped
public class BodyTooLargeHandler {
    private final String maxBodySize;

    public BodyTooLargeHandler(@ConfigProperty(name = "quarkus.http.limits.max-body-size") String maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> {
            if (context.statusCode() != 413 || context.response().headWritten()) {
                context.next();
                return;
            }
            String body = RecordJson.write(ApiProblem.of(413, "Payload too large",
                    "request body exceeds " + maxBodySize));
            context.response().setStatusCode(413).putHeader("Content-Type", ApiProblem.MEDIA_TYPE).end(body);
        });
    }
}
