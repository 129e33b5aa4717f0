package dev.tgregistry.web;

import io.micrometer.core.instrument.Tags;
import io.quarkus.arc.Unremovable;
import io.quarkus.micrometer.runtime.HttpServerMetricsTagsContributor;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

/**
 * The {@code uri} label of {@code http_server_requests} is a route template, or, for a request that matched no
 * resource method (refused before routing: 400 path, 401 key, 411/413/414/431 size; or 404, 405), a name of its
 * status such as {@code NOT_FOUND} or {@code UNAUTHORIZED}: never the path a caller made up, so random paths cannot
 * grow the number of series. {@code quarkus.micrometer.binder.http-server.max-uri-tags} caps what remains (a request
 * reset before its answer keeps its raw path).
 */
@Singleton
@Unremovable
public class UnmatchedRequestUri implements HttpServerMetricsTagsContributor {
    /** Where Quarkus REST keeps the matched method's path template (what the uri label is otherwise made of). */
    static final String TEMPLATE = "UrlPathTemplate";

    @Override
    public Tags contribute(Context context) {
        if (context.request() instanceof HttpServerRequestInternal request && request.context().getLocal(TEMPLATE) != null) {
            return Tags.empty();
        }
        return Tags.of("uri", uriOf(context.request().response().getStatusCode()));
    }

    static String uriOf(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? "UNMATCHED" : known.name();
    }
}
