package dev.tgregistry.users.booking;

import dev.tgregistry.model.BookingAdminEdit;
import dev.tgregistry.users.edits.AdminEdit;
import dev.tgregistry.users.edits.AdminEdits;
import dev.tgregistry.users.web.ApiErrors;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Dashboard edits of a booking, the one path for both endpoints: {@code PATCH /api/users/{id}/bookings} (any of
 * the editable fields) and {@code PATCH /api/users/{id}/stream} (an edit of {@code course_stream} alone). The booking
 * (row-locked with {@code SELECT … FOR UPDATE}) and its admin-edit rows are written in one Pool transaction; the edits are published
 * after the commit.
 */
@ApplicationScoped
public class BookingEditService {
    private final Pool pool;
    private final BookingRepository bookings;
    private final StreamCatalog streams;
    private final AdminEdits edits;

    public BookingEditService(Pool pool, BookingRepository bookings, StreamCatalog streams, AdminEdits edits) {
        this.pool = pool;
        this.bookings = bookings;
        this.streams = streams;
        this.edits = edits;
    }

    public Uni<BookingEdit> edit(long userId, BookingUpdates updates, String keyId) {
        String stream = updates.values().get(BookingAdminEdit.COURSE_STREAM);
        Uni<Void> checked = stream == null ? Uni.createFrom().voidItem() : streams.requireValid("updates.course_stream", stream);
        return checked.chain(() -> apply(userId, updates.bookingId(), updates.values(), keyId, null))
                .map(edited -> BookingEdit.of(edited.bookingId(), userId, edited.changes().stream().map(AdminEdits.Change::field).toList()));
    }

    /** Moves the user's newest non-cancelled booking to {@code stream}. */
    public Uni<StreamChange> moveStream(long userId, String stream, String keyId) {
        return streams.requireValid("stream", stream)
                .chain(() -> apply(userId, null, Map.of(BookingAdminEdit.COURSE_STREAM, stream), keyId,
                        "the latest active booking of user " + userId + " is already in " + stream))
                .map(edited -> new StreamChange(edited.bookingId(), userId, edited.changes().get(0).previous(), stream));
    }

    /** {@code unchangedRefusal}: the 400's message when nothing would change, null when that is no error. */
    private Uni<Edited> apply(long userId, Long bookingId, Map<String, String> values, String keyId, String unchangedRefusal) {
        return pool.withTransaction(connection -> lockedBooking(connection, userId, bookingId)
                        .chain(booking -> {
                            List<AdminEdits.Change> changes = changes(booking, values);
                            if (changes.isEmpty() && unchangedRefusal != null) {
                                throw ApiErrors.badRequest(unchangedRefusal);
                            }
                            EditableBooking edited = booking;
                            for (AdminEdits.Change change : changes) {
                                edited = edited.with(change.field(), change.value());
                            }
                            Uni<Void> updated = changes.isEmpty() ? Uni.createFrom().voidItem() : bookings.update(connection, edited);
                            return updated.chain(() -> edits.record(connection, booking.id(), booking.userId(), changes, keyId))
                                    .map(recorded -> new Edited(booking.id(), changes, recorded));
                        }))
                .invoke(edited -> edits.publish(edited.recorded()));
    }

    private record Edited(long bookingId, List<AdminEdits.Change> changes, List<AdminEdit> recorded) {
    }

    private Uni<EditableBooking> lockedBooking(SqlConnection connection, long userId, Long bookingId) {
        if (bookingId == null) {
            return bookings.lockNewestActive(connection, userId)
                    .onItem().ifNull().failWith(() -> ApiErrors.badRequest("user " + userId + " has no active booking"));
        }
        return bookings.lockById(connection, bookingId)
                .map(booking -> {
                    // another user's booking is answered like a missing one: the path names whose booking to edit
                    if (booking == null || booking.userId() != userId) {
                        throw ApiErrors.notFound("booking " + bookingId + " of user " + userId + " not found");
                    }
                    return booking;
                });
    }

    /** The fields whose value the edit actually changes, in the order given. */
    private static List<AdminEdits.Change> changes(EditableBooking booking, Map<String, String> values) {
        List<AdminEdits.Change> changes = new ArrayList<>();
        values.forEach((field, value) -> {
            AdminEdits.Change change = new AdminEdits.Change(field, booking.current(field), value);
            if (change.changes()) {
                changes.add(change);
            }
        });
        return changes;
    }
}
