package dev.tgregistry.users.consumer;

import dev.tgregistry.model.BookingChanged;
import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.FreeLessonRegistered;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Topics bot.events.v1, bot.bookings.v1 and bot.free-lessons.v1 → their tables. */
@ApplicationScoped
public class BotRecordConsumers {
    private final BatchProcessor batches;
    private final EventWriter events;
    private final BookingWriter bookings;
    private final FreeLessonWriter freeLessons;

    public BotRecordConsumers(BatchProcessor batches, EventWriter events, BookingWriter bookings, FreeLessonWriter freeLessons) {
        this.batches = batches;
        this.events = events;
        this.bookings = bookings;
        this.freeLessons = freeLessons;
    }

    @Incoming("bot-events")
    public Uni<Void> events(KafkaRecordBatch<String, String> batch) {
        return batches.process(batch, BotEvent.class, events::apply);
    }

    @Incoming("bookings")
    public Uni<Void> bookings(KafkaRecordBatch<String, String> batch) {
        return batches.process(batch, BookingChanged.class, bookings::apply);
    }

    @Incoming("free-lessons")
    public Uni<Void> freeLessons(KafkaRecordBatch<String, String> batch) {
        return batches.process(batch, FreeLessonRegistered.class, freeLessons::apply);
    }
}
