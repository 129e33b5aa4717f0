package dev.tgregistry.users.ops;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/** Test-only span processor (the test profile has no OTLP exporter): keeps the latest ended spans for assertions. */
@Singleton
public class CollectedSpans implements SpanProcessor {
    private static final int KEEP = 5_000;
    private final ConcurrentLinkedDeque<SpanData> ended = new ConcurrentLinkedDeque<>();

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
    }

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        ended.addLast(span.toSpanData());
        while (ended.size() > KEEP) {
            ended.pollFirst();
        }
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    public List<SpanData> ended() {
        return List.copyOf(ended);
    }
}
