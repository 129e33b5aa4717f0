package dev.tgregistry.users.stream;

import dev.tgregistry.users.audience.AudiencePage;
import dev.tgregistry.users.audience.KeysetCursor;
import dev.tgregistry.users.web.ApiErrors;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

@ApplicationScoped
public class StreamService {
    private final StreamRepository repository;
    private final List<String> configuredStreams;

    public StreamService(StreamRepository repository, @ConfigProperty(name = "app.streams") List<String> configuredStreams) {
        this.repository = repository;
        this.configuredStreams = configuredStreams;
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
        List<String> key = KeysetCursor.decode(list, cursor, 1);
        long after = key == null ? 0 : KeysetCursor.longPart(key, 0);
        return requireValid("stream", stream).chain(() -> repository.confirmedStudents(stream, after, pageSize + 1))
                .map(rows -> AudiencePage.of(rows, pageSize, last -> KeysetCursor.encode(list, last.userId())));
    }

    /** Moves the user's newest non-cancelled booking to {@code stream}, holding a row lock for the change. */
    public Uni<StreamChange> move(long userId, String stream) {
        return requireValid("stream", stream).chain(() -> Panache.withTransaction(() -> Booking
                .<Booking>find("userId = ?1 and confirmed <> ?2", Sort.descending("createdAt", "id"), userId, Booking.CANCELLED)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult()
                .map(booking -> {
                    if (booking == null) {
                        throw ApiErrors.badRequest("user " + userId + " has no active booking");
                    }
                    if (stream.equals(booking.courseStream)) {
                        throw ApiErrors.badRequest("the latest active booking of user " + userId + " is already in " + stream);
                    }
                    String previous = booking.courseStream;
                    booking.courseStream = stream;
                    booking.changedAt = Instant.now();
                    return new StreamChange(booking.id, userId, previous, stream);
                })));
    }

    private Uni<Void> requireValid(String parameter, String stream) {
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
