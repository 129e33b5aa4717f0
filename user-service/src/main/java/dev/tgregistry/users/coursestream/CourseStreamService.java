package dev.tgregistry.users.coursestream;

import dev.tgregistry.users.RegistryConfig;
import dev.tgregistry.users.booking.StreamCatalog;
import dev.tgregistry.users.audience.AudiencePage;
import dev.tgregistry.users.audience.KeysetCursor;
import dev.tgregistry.users.coursestream.CourseStreamRepository.RosterQuery;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

@ApplicationScoped
public class CourseStreamService {
    private final CourseStreamRepository repository;
    private final StreamCatalog streams;
    private final RegistryConfig.StreamViewers viewers;
    private final KeysetCursor cursors;

    public CourseStreamService(CourseStreamRepository repository, StreamCatalog streams, RegistryConfig config, KeysetCursor cursors) {
        this.repository = repository;
        this.streams = streams;
        this.viewers = config.streamViewers();
        this.cursors = cursors;
    }

    /** A page of the stream's confirmed students by user id after {@code cursor} (null = from the start). */
    public Uni<AudiencePage<StreamStudent>> confirmedStudents(String stream, int pageSize, String cursor) {
        String list = "by-stream:" + stream;
        List<String> key = cursors.decode(list, cursor, 1);
        long after = key == null ? 0 : KeysetCursor.longPart(key, 0);
        return streams.requireValid("stream", stream).chain(() -> repository.confirmedStudents(stream, after, pageSize + 1))
                .map(rows -> AudiencePage.of(rows, pageSize, last -> cursors.encode(list, last.userId())));
    }

    /**
     * A page of the stream's roster (validated stream) and the number of rows of the whole list, counted as of the
     * same moment as the page.
     */
    public Uni<StreamRoster> roster(String stream, int pageSize, String cursor) {
        RosterCursor after = RosterCursor.decode(cursors, stream, cursor);
        return streams.requireValid("stream", stream).chain(() -> {
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
}
