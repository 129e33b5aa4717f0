package dev.tgregistry.users.adoption;

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
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.ZoneId;
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

    /** A bot row to apply: its table and shape, the row, and when it was written (or, backfilled, last updated). */
    record Item(String botTable, String shape, JsonObject row, Instant at) {
    }

    private record Profile(long userId, ObjectNode values, Instant at) {
    }

    private final LegacyRows rows;
    private final UserWriter users;
    private final EventWriter events;
    private final BookingWriter bookings;
    private final FreeLessonWriter freeLessons;
    private final ProfileService profiles;
    private final MeterRegistry metrics;

    public LegacyWriteApplier(@ConfigProperty(name = "app.legacy-time-zone") ZoneId legacyZone, UserWriter users,
                              EventWriter events, BookingWriter bookings, FreeLessonWriter freeLessons,
                              ProfileService profiles, MeterRegistry metrics) {
        this.rows = new LegacyRows(legacyZone);
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

    Uni<Void> apply(List<Item> items) {
        List<UserSeen> sightings = new ArrayList<>();
        List<Profile> profileWrites = new ArrayList<>();
        List<BotEvent> eventRecords = new ArrayList<>();
        List<BookingChanged> bookingRecords = new ArrayList<>();
        List<FreeLessonRegistered> lessonRecords = new ArrayList<>();
        for (Item item : items) {
            try {
                switch (item.shape()) {
                    case LegacyRows.HELLO_BOT_USERS -> sightings.addAll(rows.sightings(item.shape(), item.row(), item.at()));
                    case LegacyRows.PROFILE_BOT_USERS -> {
                        sightings.addAll(rows.sightings(item.shape(), item.row(), item.at()));
                        ObjectNode profile = rows.profile(item.row());
                        Object userId = item.row().getValue("user_id");
                        if (LegacyRows.hasProfile(profile) && userId instanceof Number id) {
                            profileWrites.add(new Profile(id.longValue(), profile, item.at()));
                        }
                    }
                    case LegacyRows.COURSE_EVENTS -> eventRecords.add(rows.event(item.botTable(), item.row()));
                    case LegacyRows.COURSE_BOOKINGS -> bookingRecords.add(rows.booking(item.row(), item.at()));
                    case LegacyRows.COURSE_FREE_LESSONS -> lessonRecords.add(rows.freeLesson(item.row()));
                    default -> refused(item.botTable(), "shape " + item.shape());
                }
            } catch (ContractViolation violation) {
                // the field only: the message may quote the row (names)
                refused(item.botTable(), "field " + violation.field() + " breaks the record contract");
            }
        }
        return isolating("users", sightings, users::applySightings)
                .chain(() -> isolating("events", eventRecords, events::apply))
                .chain(() -> isolating("bookings", bookingRecords, bookings::apply))
                .chain(() -> isolating("free lessons", lessonRecords, freeLessons::apply))
                .chain(() -> Multi.createFrom().iterable(profileWrites)
                        .onItem().transformToUniAndConcatenate(profile -> isolating("profiles", List.of(profile),
                                one -> profiles.applyLegacy(profile.userId(), profile.values(), profile.at(), "legacy-table")))
                        .collect().last().replaceWithVoid());
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
