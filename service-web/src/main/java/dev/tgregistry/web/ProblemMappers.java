package dev.tgregistry.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tgregistry.model.JsonErrors;
import jakarta.enterprise.inject.Instance;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.Optional;

/**
 * Every error leaves both services as application/problem+json; never with a raw SQL message. A service maps its own
 * exceptions (e.g. bot-ingest's Kafka outage) beside these.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final String unexpectedTitle;
    private final Instance<InputFailures> inputFailures;

    /** The unexpected 500's title: bot-ingest has always said "Internal error", user-service the reason phrase. */
    public ProblemMappers(EdgeConfig config, Instance<InputFailures> inputFailures) {
        this.unexpectedTitle = config.problem().unexpectedTitle();
        this.inputFailures = inputFailures;
    }

    public static Response problem(int status, String title, String detail) {
        return answer(ApiProblem.of(status, title, detail));
    }

    /** What a credential filter answers for a request without a valid credential. */
    public static Response unauthorized(String detail) {
        return problem(401, "Unauthorized", detail);
    }

    /** What a credential filter answers for a valid credential without the right the method needs. */
    public static Response forbidden(String detail) {
        return problem(403, "Forbidden", detail);
    }

    static Response answer(ApiProblem problem) {
        return Response.status(problem.status()).type(ApiProblem.MEDIA_TYPE).entity(problem).build();
    }

    @ServerExceptionMapper
    public Response api(ApiException refused) {
        return answer(refused.problem());
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException malformed) {
        String member = JsonErrors.path(malformed);
        return problem(400, "Bad Request", (member.isEmpty() ? "" : member + ": ") + "malformed JSON: " + JsonErrors.describe(malformed));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException failure) {
        // the JSON body reader wraps a parse error in a plain 400; say what was wrong instead
        if (failure.getCause() instanceof JsonProcessingException malformed) {
            return malformedJson(malformed);
        }
        // a parameter converter's refusal (TypedParameters), wrapped by the framework in a 404 or 400
        if (failure.getCause() instanceof ApiException refused) {
            return api(refused);
        }
        int status = failure.getResponse().getStatus();
        if (status >= 500) {
            return ServerErrors.logAndAnswer(LOG, Logger.Level.ERROR, "Request failed", failure, status,
                    failure.getResponse().getStatusInfo().getReasonPhrase(), "request failed; see the service log");
        }
        return problem(status, failure.getResponse().getStatusInfo().getReasonPhrase(), failure.getMessage());
    }

    /**
     * A parameter outside its constraint ({@code @Min}, {@code @Max}, ...): 400 with the constraint's message, which
     * names the parameter (the first parameter's, in declaration order, when several are wrong). A constraint on a
     * returned value is the service's own fault: a 500.
     */
    @ServerExceptionMapper
    public Response violated(ConstraintViolationException violation) {
        Optional<ConstraintViolation<?>> first = violation.getConstraintViolations().stream()
                .min(Comparator.comparingInt(ProblemMappers::parameterIndex)
                        .thenComparing(ConstraintViolation::getMessage));
        boolean byRequest = first.isPresent() && parameterIndex(first.get()) < Integer.MAX_VALUE;
        if (!byRequest) {
            return unexpected(violation);
        }
        return problem(400, "Bad Request", first.get().getMessage());
    }

    private static int parameterIndex(ConstraintViolation<?> violation) {
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                return node.as(Path.ParameterNode.class).getParameterIndex();
            }
        }
        return Integer.MAX_VALUE;
    }

    @ServerExceptionMapper
    public Response unexpected(Exception failure) {
        for (InputFailures kind : inputFailures) {
            Optional<ApiException> refused = kind.asRefusedInput(failure);
            if (refused.isPresent()) {
                return api(refused.get());
            }
        }
        return ServerErrors.logAndAnswer(LOG, Logger.Level.ERROR, "Unexpected error", failure,
                500, unexpectedTitle, "unexpected error; see the service log (trace_id)");
    }
}
