package dev.tgregistry.ingest.web;

import dev.tgregistry.ingest.publish.KafkaUnavailableException;
import dev.tgregistry.model.ContractViolation;
import dev.tgregistry.web.ProblemMappers;
import dev.tgregistry.web.ServerErrors;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** bot-ingest's own failures as problem+json; the rest are service-web's {@link ProblemMappers}. */
public class IngestProblems {
    private static final Logger LOG = Logger.getLogger(IngestProblems.class);

    @ServerExceptionMapper
    public Response invalid(ContractViolation violation) {
        return ProblemMappers.problem(400, "Invalid request", violation.getMessage());
    }

    @ServerExceptionMapper
    public Response kafkaDown(KafkaUnavailableException unavailable) {
        Response problem = ServerErrors.logAndAnswer(LOG, Logger.Level.WARN, unavailable.getMessage(), null,
                503, "Kafka unavailable", unavailable.getMessage() + "; retry later");
        return Response.fromResponse(problem).header("Retry-After", "5").build();
    }
}
