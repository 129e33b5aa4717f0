package dev.tgregistry.users.edits;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Records admin edits of a booking inside the caller's Hibernate Reactive transaction (which holds the booking's
 * row lock), and publishes them once that transaction committed.
 */
@ApplicationScoped
public class AdminEdits {
    private final AdminEditPublisher publisher;

    public AdminEdits(AdminEditPublisher publisher) {
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
    public Uni<List<AdminEdit>> record(long bookingId, long userId, List<Change> changes, String keyId) {
        Instant now = Instant.now();
        Uni<List<AdminEdit>> recorded = Uni.createFrom().item(new ArrayList<>());
        for (Change change : changes) {
            recorded = recorded.chain(edits -> AdminEdit.update(
                            "settledAt = ?1, settledBy = ?2 where bookingId = ?3 and field = ?4 and settledAt is null",
                            now, AdminEdit.SUPERSEDED, bookingId, change.field())
                    .chain(() -> {
                        AdminEdit edit = new AdminEdit();
                        edit.bookingId = bookingId;
                        edit.userId = userId;
                        edit.field = change.field();
                        edit.value = change.value();
                        edit.previousValue = change.previous();
                        edit.editedAt = now;
                        edit.keyId = keyId;
                        return edit.<AdminEdit>persist();
                    })
                    .map(edit -> {
                        edits.add(edit);
                        return edits;
                    }));
        }
        return recorded;
    }

    /** After the commit: publish without making the caller wait; the relay re-publishes anything that fails. */
    public void publish(List<AdminEdit> committed) {
        publisher.publishSoon(committed);
    }
}
