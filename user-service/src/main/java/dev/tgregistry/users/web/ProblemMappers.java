package dev.tgregistry.users.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tgregistry.model.ApiProblem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves user-service as application/problem+json; never with a raw SQL message. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    public static Response problem(int status, String title, String detail) {
        return Response.status(status).type(ApiProblem.MEDIA_TYPE).entity(ApiProblem.of(status, title, detail)).build();
    }

    @ServerExceptionMapper
    public Response api(ApiException refused) {
        return problem(refused.status(), Response.Status.fromStatusCode(refused.status()).getReasonPhrase(), refused.getMessage());
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException malformed) {
        return problem(400, "Bad Request", "malformed JSON: " + malformed.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException failure) {
        // the JSON body reader wraps a parse error in a plain 400; say what was wrong instead
        if (failure.getCause() instanceof JsonProcessingException malformed) {
            return malformedJson(malformed);
        }
        int status = failure.getResponse().getStatus();
        if (status >= 500) {
            return ServerErrors.logAndAnswer(LOG, Logger.Level.ERROR, "Request failed", failure, status,
                    failure.getResponse().getStatusInfo().getReasonPhrase(), "request failed; see the service log");
        }
        return problem(status, failure.getResponse().getStatusInfo().getReasonPhrase(), failure.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception failure) {
        return ServerErrors.logAndAnswer(LOG, Logger.Level.ERROR, "Unexpected error", failure,
                500, "Internal Server Error", "unexpected error; see the service log (trace_id)");
    }
}
