package dev.tgregistry.ingest.bot;

import dev.tgregistry.ingest.publish.RecordPublisher;
import dev.tgregistry.ingest.web.Accepted;
import dev.tgregistry.ingest.web.RequestBody;
import dev.tgregistry.model.BookingChanged;
import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.ContractViolation;
import dev.tgregistry.model.FreeLessonRegistered;
import dev.tgregistry.model.RegistryRecord;
import dev.tgregistry.model.Topics;
import dev.tgregistry.model.UserSeen;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The bot's own records: its event log, booking changes and free-lesson registrations. */
@Path("/bot")
@Tag(name = "bot")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", description = "Malformed JSON, a missing id or a field of the wrong type (the body names it)")
@APIResponse(responseCode = "401", description = "Missing or wrong secret header")
@APIResponse(responseCode = "413", description = "Body over 1 MiB")
@APIResponse(responseCode = "503", description = "Kafka unavailable; retry")
public class BotRecordResource {
    private static final String EVENT_EXAMPLE = "{\"event_id\": \"a1b2c3\", \"user_id\": 95450323, \"event_type\": \"view_program\", "
            + "\"details\": {\"course_id\": 1}, \"occurred_at\": \"2026-11-20T10:15:00Z\", \"user\": {\"id\": 95450323, "
            + "\"username\": \"serejaris\", \"first_name\": \"Сергей\", \"language_code\": \"ru\"}}";
    private static final String BOOKING_EXAMPLE = "{\"id\": 1001, \"user_id\": 123456789, \"username\": \"alex_smith\", "
            + "\"first_name\": \"Alex\", \"course_id\": 1, \"course_stream\": \"4th_stream\", \"confirmed\": 2, "
            + "\"created_at\": \"2025-09-01T10:30:00Z\", \"referral_code\": \"FRIEND20\", \"discount_percent\": 20, "
            + "\"changed_at\": \"2025-09-02T08:00:00Z\"}";
    private static final String REGISTRATION_EXAMPLE = "{\"id\": 5001, \"user_id\": 987654321, \"username\": \"maria_jones\", "
            + "\"first_name\": \"Maria\", \"email\": \"maria@example.com\", \"lesson_type\": \"intro_to_python\", "
            + "\"lesson_date\": \"2025-09-05\", \"registered_at\": \"2025-09-02T14:15:00Z\", \"notification_sent\": true}";
    private final RecordPublisher publisher;

    public BotRecordResource(RecordPublisher publisher) {
        this.publisher = publisher;
    }

    @POST
    @Path("/events")
    @Operation(operationId = "postBotEvents", summary = "Accept one bot event or an array (at most 1000); a user snapshot also counts as a sighting")
    @APIResponse(responseCode = "202", description = "Kafka acknowledged every event",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    public Uni<Response> events(@org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, description = "One event or an array of at most 1,000",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(oneOf = {BotEvent.class, BotEvent[].class}),
            examples = @ExampleObject(name = "event", value = EVENT_EXAMPLE)))
                                byte[] body) {
        Instant receivedAt = Instant.now();
        List<BotEvent> events = read(body, BotEvent.class,
                event -> event.withDefaults(BotEventIds.derive(event, receivedAt), receivedAt));
        List<UserSeen> sightings = new ArrayList<>();
        for (BotEvent event : events) {
            if (event.user() != null) {
                sightings.add(UserSeen.of(event.user(), event.occurredAt(), new UserSeen.Source(null, "bot_event"), null,
                        UserSeen.VIA_BOT_RECORD));
            }
        }
        return Uni.combine().all()
                .unis(publisher.publish(Topics.BOT_EVENTS, events), publisher.publish(Topics.USER_SEEN, sightings))
                .with((published, ignored) -> Accepted.response(published));
    }

    @POST
    @Path("/bookings")
    @Operation(operationId = "postBookings", summary = "Accept one booking snapshot or an array (at most 1000)")
    @APIResponse(responseCode = "202", description = "Kafka acknowledged every booking",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    public Uni<Response> bookings(@org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, description = "One booking snapshot or an array of at most 1,000",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(oneOf = {BookingChanged.class, BookingChanged[].class}),
                    examples = @ExampleObject(name = "booking", value = BOOKING_EXAMPLE))) byte[] body) {
        Instant receivedAt = Instant.now();
        List<BookingChanged> bookings = read(body, BookingChanged.class, booking -> booking.withDefaults(receivedAt));
        return publisher.publish(Topics.BOOKINGS, bookings).map(Accepted::response);
    }

    @POST
    @Path("/free-lessons")
    @Operation(operationId = "postFreeLessons", summary = "Accept one free-lesson registration or an array (at most 1000)")
    @APIResponse(responseCode = "202", description = "Kafka acknowledged every registration",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    public Uni<Response> freeLessons(@org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, description = "One registration or an array of at most 1,000",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(oneOf = {FreeLessonRegistered.class, FreeLessonRegistered[].class}),
                    examples = @ExampleObject(name = "registration", value = REGISTRATION_EXAMPLE))) byte[] body) {
        Instant receivedAt = Instant.now();
        List<FreeLessonRegistered> registrations =
                read(body, FreeLessonRegistered.class, registration -> registration.withDefaults(receivedAt));
        return publisher.publish(Topics.FREE_LESSONS, registrations).map(Accepted::response);
    }

    /** Reads and validates the whole body before anything is published: one bad item rejects the request. */
    private static <T extends RegistryRecord> List<T> read(byte[] body, Class<T> type, Function<T, T> withDefaults) {
        List<RequestBody.Item> items = RequestBody.items(body);
        List<T> records = new ArrayList<>(items.size());
        for (RequestBody.Item item : items) {
            T record = withDefaults.apply(RequestBody.as(item, type));
            try {
                record.validate();
            } catch (ContractViolation violation) {
                throw violation.at(item.path());
            }
            records.add(record);
        }
        return records;
    }
}
