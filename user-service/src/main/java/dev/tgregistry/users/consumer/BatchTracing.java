package dev.tgregistry.users.consumer;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Spans of a consumed batch: one trace per batch (a CONSUMER span) linked to the producer spans its records
 * carry in their {@code traceparent} headers (bot-ingest's publish spans), and a child span per database write.
 * With the OpenTelemetry SDK disabled the spans are no-ops and the headers are not read.
 */
@ApplicationScoped
public class BatchTracing {
    /** Enough to find the producers of a batch; a 2,000-record batch would otherwise carry 2,000 links. */
    static final int MAX_LINKS = 128;

    private static final TextMapGetter<Headers> KAFKA_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public BatchTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("dev.tgregistry.user-service");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    Span startBatch(String topic, List<KafkaRecord<String, String>> records) {
        Span batch = tracer.spanBuilder(topic + " process").setNoParent().setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.batch.message_count", records.size())
                .startSpan();
        if (batch.isRecording()) {
            Set<String> linked = new HashSet<>();
            for (KafkaRecord<String, String> record : records) {
                if (linked.size() >= MAX_LINKS) {
                    break;
                }
                SpanContext producer = Span.fromContext(propagator.extract(Context.root(), record.getHeaders(), KAFKA_HEADERS))
                        .getSpanContext();
                if (producer.isValid() && linked.add(producer.getSpanId())) {
                    batch.addLink(producer);
                }
            }
        }
        return batch;
    }

    Span startWrite(Span batch, String topic, int records) {
        return tracer.spanBuilder("write " + topic).setParent(Context.root().with(batch)).setSpanKind(SpanKind.INTERNAL)
                .setAttribute("db.system.name", "postgresql")
                .setAttribute("messaging.batch.message_count", records)
                .startSpan();
    }

    static void end(Span span, Throwable failure) {
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }
}
