package dev.tgregistry.ingest.web;

import dev.tgregistry.ingest.publish.KafkaUnavailableException;
import dev.tgregistry.model.ApiProblem;
import dev.tgregistry.model.ContractViolation;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves bot-ingest as application/problem+json. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    public static Response problem(int status, String title, String detail) {
        return Response.status(status).type(ApiProblem.MEDIA_TYPE).entity(ApiProblem.of(status, title, detail)).build();
    }

    @ServerExceptionMapper
    public Response invalid(ContractViolation violation) {
        return problem(400, "Invalid request", violation.getMessage());
    }

    @ServerExceptionMapper
    public Response tooLarge(BodyTooLargeException tooLarge) {
        return problem(413, "Payload too large", tooLarge.getMessage());
    }

    @ServerExceptionMapper
    public Response kafkaDown(KafkaUnavailableException unavailable) {
        Response problem = ServerErrors.logAndAnswer(LOG, Logger.Level.WARN, unavailable.getMessage(), null,
                503, "Kafka unavailable", unavailable.getMessage() + "; retry later");
        return Response.fromResponse(problem).header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException failure) {
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
                500, "Internal error", "unexpected error; see the service log (trace_id)");
    }
}
