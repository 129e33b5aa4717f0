package dev.tgregistry.users.booking;

import dev.tgregistry.users.RegistryConfig;
import dev.tgregistry.users.web.ApiErrors;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.TreeSet;

/** The valid course streams: the configured ones ({@code app.streams}) plus every stream that appears in bookings. */
@ApplicationScoped
public class StreamCatalog {
    private final BookingRepository bookings;
    private final List<String> configured;

    public StreamCatalog(BookingRepository bookings, RegistryConfig config) {
        this.bookings = bookings;
        this.configured = config.streams();
    }

    /** Sorted. */
    public Uni<List<String>> validStreams() {
        return bookings.streams().map(inBookings -> {
            TreeSet<String> streams = new TreeSet<>(configured);
            streams.addAll(inBookings);
            return List.copyOf(streams);
        });
    }

    /** 400 naming {@code parameter} unless {@code stream} is a valid stream. */
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
