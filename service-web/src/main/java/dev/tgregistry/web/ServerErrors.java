package dev.tgregistry.web;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A 5xx answer and its log line share one id, {@code trace_id} in the body and {@code traceId} in the log: the
 * request's OpenTelemetry trace id, or a fresh random id of the same shape when tracing is off.
 */
public final class ServerErrors {
    static final String MDC_TRACE_ID = "traceId";

    private ServerErrors() {
    }

    /** Logs {@code failure} (ERROR, or WARN for an expected outage) and answers problem+json with the trace id. */
    public static Response logAndAnswer(Logger log, Logger.Level level, String logMessage, Throwable failure,
                                        int status, String title, String detail) {
        String traceId = currentTraceId();
        boolean ownMdc = MDC.get(MDC_TRACE_ID) == null;
        if (ownMdc) {
            MDC.put(MDC_TRACE_ID, traceId);
        }
        try {
            log.log(level, logMessage, failure);
        } finally {
            if (ownMdc) {
                MDC.remove(MDC_TRACE_ID);
            }
        }
        return ProblemMappers.answer(ApiProblem.of(status, title, detail).withTraceId(traceId));
    }

    static String currentTraceId() {
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            return span.getTraceId();
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format("%016x%016x", random.nextLong(), random.nextLong());
    }
}
