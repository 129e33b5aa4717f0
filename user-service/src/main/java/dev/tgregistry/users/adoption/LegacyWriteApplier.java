package dev.tgregistry.users.adoption;

import dev.tgregistry.users.RegistryConfig;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tgregistry.model.BookingChanged;
import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.ContractViolation;
import dev.tgregistry.model.FreeLessonRegistered;
import dev.tgregistry.model.UserSeen;
import dev.tgregistry.users.consumer.BookingWriter;
import dev.tgregistry.users.consumer.EventWriter;
import dev.tgregistry.users.consumer.FreeLessonWriter;
import dev.tgregistry.users.consumer.UserWriter;
import dev.tgregistry.users.consumer.WriteFailure;
import dev.tgregistry.users.profile.ProfileService;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Applies rows of a bot's tables through the registry's own writers, so they obey the pipeline's rules (newest
 * snapshot wins, an erased person stays erased, a sighting never touches a profile). A row the contract or
 * PostgreSQL refuses is counted and skipped: it never holds up the rows behind it.
 */
@ApplicationScoped
public class LegacyWriteApplier {
    private static final Logger LOG = Logger.getLogger(LegacyWriteApplier.class);
    /** changed_by of a profile change a bot made by writing its own table. */
    static final String LEGACY_EDITOR = "legacy-table";

    /** A bot row to apply: its table and shape, the row, and when it was written (or, backfilled, last updated). */
    record Item(String botTable, String shape, JsonObject row, Instant at) {
    }

    private final LegacyRows rows;
    private final UserWriter users;
    private final EventWriter events;
    private final BookingWriter bookings;
    private final FreeLessonWriter freeLessons;
    private final ProfileService profiles;
    private final MeterRegistry metrics;

    public LegacyWriteApplier(RegistryConfig config, UserWriter users,
                              EventWriter events, BookingWriter bookings, FreeLessonWriter freeLessons,
                              ProfileService profiles, MeterRegistry metrics) {
        this.rows = new LegacyRows(config.legacyTimeZone());
        this.users = users;
        this.events = events;
        this.bookings = bookings;
        this.freeLessons = freeLessons;
        this.profiles = profiles;
        this.metrics = metrics;
    }

    LegacyRows rows() {
        return rows;
    }

    /** The records a list of rows stands for, by writer. */
    private record Converted(List<UserSeen> sightings, List<ProfileService.LegacyWrite> profiles, List<BotEvent> events,
                             List<BookingChanged> bookings, List<FreeLessonRegistered> lessons) {
    }

    /**
     * Converts the rows on a worker thread (JSON parsing of up to a batch of rows is too much work for the event
     * loop), then writes them back on the caller's Vert.x context, where the reactive sessions live.
     */
    Uni<Void> apply(List<Item> items) {
        Context context = Vertx.currentContext();
        Uni<Converted> converted = Uni.createFrom().item(() -> convert(items));
        if (context != null) {
            converted = converted.runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .emitOn(command -> context.runOnContext(ignored -> command.run()));
        }
        return converted.chain(this::write);
    }

    private Converted convert(List<Item> items) {
        Converted to = new Converted(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (Item item : items) {
            try {
                switch (item.shape()) {
                    case LegacyRows.HELLO_BOT_USERS -> to.sightings().addAll(rows.sightings(item.shape(), item.row(), item.at()));
                    case LegacyRows.PROFILE_BOT_USERS -> {
                        to.sightings().addAll(rows.sightings(item.shape(), item.row(), item.at()));
                        ObjectNode profile = rows.profile(item.row());
                        Object userId = item.row().getValue("user_id");
                        if (LegacyRows.hasProfile(profile) && userId instanceof Number id) {
                            to.profiles().add(new ProfileService.LegacyWrite(id.longValue(), profile, item.at()));
                        }
                    }
                    case LegacyRows.COURSE_EVENTS -> to.events().add(rows.event(item.botTable(), item.row()));
                    case LegacyRows.COURSE_BOOKINGS -> to.bookings().add(rows.booking(item.row(), item.at()));
                    case LegacyRows.COURSE_FREE_LESSONS -> to.lessons().add(rows.freeLesson(item.row()));
                    default -> refused(item.botTable(), "shape " + item.shape());
                }
            } catch (ContractViolation violation) {
                // the field only: the message may quote the row (names)
                refused(item.botTable(), "field " + violation.field() + " breaks the record contract");
            }
        }
        return to;
    }

    private Uni<Void> write(Converted records) {
        return isolating("users", records.sightings(), users::applySightings)
                .chain(() -> isolating("events", records.events(), events::apply))
                .chain(() -> isolating("bookings", records.bookings(), bookings::apply))
                .chain(() -> isolating("free lessons", records.lessons(), freeLessons::apply))
                .chain(() -> isolating("profiles", records.profiles(), writes -> writes.size() == 1
                        ? profiles.applyLegacy(writes.get(0), LEGACY_EDITOR) : profiles.applyLegacy(writes, LEGACY_EDITOR)));
    }

    /** Writes the whole list; when PostgreSQL refuses its data, each item alone, skipping the refused ones. */
    private <T> Uni<Void> isolating(String what, List<T> batch, Function<List<T>, Uni<Void>> write) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return write.apply(batch).onFailure(failure -> WriteFailure.of(failure).isDataError()).recoverWithUni(failure -> {
            if (batch.size() == 1) {
                refused(what, WriteFailure.of(failure).sqlState() + " " + WriteFailure.of(failure).message());
                return Uni.createFrom().voidItem();
            }
            return Multi.createFrom().iterable(batch)
                    .onItem().transformToUniAndConcatenate(item -> isolating(what, List.of(item), write))
                    .collect().last().replaceWithVoid();
        });
    }

    private void refused(String what, String why) {
        metrics.counter("registry.adoption.refused_rows").increment();
        LOG.warnf("Adoption: a row of %s was not applied (%s); the rows behind it were", what, why);
    }
}
