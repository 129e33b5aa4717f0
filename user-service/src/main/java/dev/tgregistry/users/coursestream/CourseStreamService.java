package dev.tgregistry.users.coursestream;

import dev.tgregistry.users.booking.BookingStatus;
import dev.tgregistry.users.audience.AudiencePage;
import dev.tgregistry.users.audience.KeysetCursor;
import dev.tgregistry.model.BookingAdminEdit;
import dev.tgregistry.users.edits.AdminEdits;
import dev.tgregistry.users.coursestream.CourseStreamRepository.RosterQuery;
import dev.tgregistry.users.web.ApiErrors;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.TreeSet;

@ApplicationScoped
public class CourseStreamService {
    private final CourseStreamRepository repository;
    private final List<String> configuredStreams;
    private final AdminEdits edits;
    private final ViewerCampaign viewers;
    private final KeysetCursor cursors;

    public CourseStreamService(CourseStreamRepository repository, @ConfigProperty(name = "app.streams") List<String> configuredStreams,
                         AdminEdits edits, ViewerCampaign viewers, KeysetCursor cursors) {
        this.repository = repository;
        this.configuredStreams = configuredStreams;
        this.edits = edits;
        this.viewers = viewers;
        this.cursors = cursors;
    }

    /** Configured streams plus every stream that appears in bookings, sorted. */
    public Uni<List<String>> validStreams() {
        return repository.streamsInBookings().map(inBookings -> {
            TreeSet<String> streams = new TreeSet<>(configuredStreams);
            streams.addAll(inBookings);
            return List.copyOf(streams);
        });
    }

    /** A page of the stream's confirmed students by user id after {@code cursor} (null = from the start). */
    public Uni<AudiencePage<StreamStudent>> confirmedStudents(String stream, int pageSize, String cursor) {
        String list = "by-stream:" + stream;
        List<String> key = cursors.decode(list, cursor, 1);
        long after = key == null ? 0 : KeysetCursor.longPart(key, 0);
        return requireValid("stream", stream).chain(() -> repository.confirmedStudents(stream, after, pageSize + 1))
                .map(rows -> AudiencePage.of(rows, pageSize, last -> cursors.encode(list, last.userId())));
    }

    /**
     * A page of the stream's roster (validated stream) and the number of rows of the whole list, counted as of the
     * same moment as the page.
     */
    public Uni<StreamRoster> roster(String stream, int pageSize, String cursor) {
        RosterCursor after = RosterCursor.decode(cursors, stream, cursor);
        return requireValid("stream", stream).chain(() -> {
            RosterQuery query = rosterQuery(stream, after);
            return Uni.combine().all().unis(rosterPage(query, after, pageSize), repository.rosterSize(query))
                    .with((page, total) -> new StreamRoster(stream, total, page.items(), page.nextCursor()));
        });
    }

    /**
     * A page of the roster after {@code cursor} (null = from the start), by created_at desc, user id. The first
     * page fixes the walk's as-of time and every cursor carries it (see {@link CourseStreamRepository#ROSTER_PAGE}).
     * The stream is not checked here: the caller did.
     */
    public Uni<AudiencePage<StreamRoster.Student>> rosterPage(String stream, int pageSize, String cursor) {
        RosterCursor after = RosterCursor.decode(cursors, stream, cursor);
        return rosterPage(rosterQuery(stream, after), after, pageSize);
    }

    private Uni<AudiencePage<StreamRoster.Student>> rosterPage(RosterQuery query, RosterCursor after, int pageSize) {
        return repository.roster(query, after == null ? null : after.createdAt(), after == null ? null : after.userId(), pageSize + 1)
                .map(rows -> AudiencePage.of(rows, pageSize,
                        last -> new RosterCursor(query.asOf(), last.createdAt(), last.userId()).encode(cursors, query.stream())));
    }

    private RosterQuery rosterQuery(String stream, RosterCursor after) {
        String viewerCourse = stream != null && stream.equals(viewers.stream()) ? Integer.toString(viewers.courseId()) : null;
        Instant asOf = after == null ? Instant.now().truncatedTo(ChronoUnit.MICROS) : after.asOf();
        return new RosterQuery(stream, viewerCourse, viewers.since(), asOf);
    }

    /**
     * Moves the user's newest non-cancelled booking to {@code stream}, holding its row lock while the booking and
     * the admin-edit row are written; the edit is published after the commit. {@code changed_at} stays the bot's:
     * it orders the bot's snapshots, and the pending edit, not a newer timestamp, protects the admin's value.
     */
    public Uni<StreamChange> move(long userId, String stream, String keyId) {
        return requireValid("stream", stream).chain(() -> Panache.withTransaction(() -> Booking
                .<Booking>find("userId = ?1 and confirmed <> ?2", Sort.descending("createdAt", "id"), userId, BookingStatus.CANCELLED)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult()
                .chain(booking -> {
                    if (booking == null) {
                        throw ApiErrors.badRequest("user " + userId + " has no active booking");
                    }
                    if (stream.equals(booking.courseStream)) {
                        throw ApiErrors.badRequest("the latest active booking of user " + userId + " is already in " + stream);
                    }
                    String previous = booking.courseStream;
                    booking.courseStream = stream;
                    StreamChange change = new StreamChange(booking.id, userId, previous, stream);
                    return edits.record(booking, List.of(new AdminEdits.Change(BookingAdminEdit.COURSE_STREAM, previous, stream)), keyId)
                            .map(recorded -> new Moved(change, recorded));
                })))
                .map(moved -> {
                    edits.publish(moved.edits());
                    return moved.change();
                });
    }

    private record Moved(StreamChange change, List<dev.tgregistry.users.edits.AdminEdit> edits) {
    }

    /** 400 unless {@code stream} is a configured stream or one present in bookings. */
    public Uni<Void> requireValid(String parameter, String stream) {
        if (stream == null || stream.isBlank()) {
            return Uni.createFrom().failure(ApiErrors.badRequest("Stream parameter is required"));
        }
        return validStreams().map(valid -> {
            if (!valid.contains(stream)) {
                throw ApiErrors.badRequest("Invalid " + parameter + " '" + stream + "'. Valid streams: " + String.join(", ", valid));
            }
            return null;
        });
    }
}
