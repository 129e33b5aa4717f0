package dev.tgregistry.users.edits;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Objects;

/**
 * Records admin edits of a booking inside the caller's Pool transaction (which holds the booking's
 * row lock), and publishes them once that transaction committed.
 */
@ApplicationScoped
public class AdminEdits {
    private final AdminEditRepository repository;
    private final AdminEditPublisher publisher;

    public AdminEdits(AdminEditRepository repository, AdminEditPublisher publisher) {
        this.repository = repository;
        this.publisher = publisher;
    }

    /** One field's change: {@code previous} and {@code value} as text (null = none). */
    public record Change(String field, String previous, String value) {
        public boolean changes() {
            return !Objects.equals(previous, value);
        }
    }

    /**
     * Audit rows for the changes of user {@code userId}'s booking {@code bookingId} (already applied to it); an older
     * pending edit of the same field is superseded. Call inside the transaction that changed the booking.
     */
    public Uni<List<AdminEdit>> record(SqlConnection connection, long bookingId, long userId, List<Change> changes, String keyId) {
        return Multi.createFrom().iterable(changes)
                .onItem().transformToUniAndConcatenate(change -> repository.replacePending(connection, bookingId, userId, change, keyId))
                .collect().asList();
    }

    /** After the commit: publish without making the caller wait; the relay re-publishes anything that fails. */
    public void publish(List<AdminEdit> committed) {
        publisher.publishSoon(committed);
    }
}
