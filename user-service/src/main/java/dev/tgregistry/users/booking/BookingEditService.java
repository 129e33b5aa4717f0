package dev.tgregistry.users.booking;

import dev.tgregistry.model.BookingAdminEdit;
import dev.tgregistry.users.edits.AdminEdit;
import dev.tgregistry.users.edits.AdminEdits;
import dev.tgregistry.users.web.ApiErrors;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Dashboard edits of a booking, the one path for both endpoints: {@code PATCH /api/users/{id}/bookings} (any of
 * the editable fields) and {@code PATCH /api/users/{id}/stream} (an edit of {@code course_stream} alone). The booking
 * (row-locked) and its admin-edit rows are written in one Hibernate Reactive transaction; the edits are published
 * after the commit.
 */
@ApplicationScoped
public class BookingEditService {
    private final StreamCatalog streams;
    private final AdminEdits edits;

    public BookingEditService(StreamCatalog streams, AdminEdits edits) {
        this.streams = streams;
        this.edits = edits;
    }

    public Uni<BookingEdit> edit(long userId, BookingUpdates updates, String keyId) {
        String stream = updates.values().get(BookingAdminEdit.COURSE_STREAM);
        Uni<Void> checked = stream == null ? Uni.createFrom().voidItem() : streams.requireValid("updates.course_stream", stream);
        return checked.chain(() -> apply(userId, updates.bookingId(), updates.values(), keyId, null))
                .map(edited -> BookingEdit.of(edited.bookingId(), userId, edited.changes().stream().map(AdminEdits.Change::field).toList()));
    }

    /**
     * Moves the user's newest non-cancelled booking to {@code stream}. {@code changed_at} stays the bot's: it orders
     * the bot's snapshots, and the pending edit, not a newer timestamp, protects the admin's value.
     */
    public Uni<StreamChange> moveStream(long userId, String stream, String keyId) {
        return streams.requireValid("stream", stream)
                .chain(() -> apply(userId, null, Map.of(BookingAdminEdit.COURSE_STREAM, stream), keyId,
                        "the latest active booking of user " + userId + " is already in " + stream))
                .map(edited -> new StreamChange(edited.bookingId(), userId, edited.changes().get(0).previous(), stream));
    }

    /** {@code unchangedRefusal}: the 400's message when nothing would change, null when that is no error. */
    private Uni<Edited> apply(long userId, Long bookingId, Map<String, String> values, String keyId, String unchangedRefusal) {
        return Panache.withTransaction(() -> lockedBooking(userId, bookingId)
                        .chain(booking -> {
                            List<AdminEdits.Change> changes = apply(booking, values);
                            if (changes.isEmpty() && unchangedRefusal != null) {
                                throw ApiErrors.badRequest(unchangedRefusal);
                            }
                            return edits.record(booking.id, booking.userId, changes, keyId)
                                    .map(recorded -> new Edited(booking.id, changes, recorded));
                        }))
                .invoke(edited -> edits.publish(edited.recorded()));
    }

    private record Edited(long bookingId, List<AdminEdits.Change> changes, List<AdminEdit> recorded) {
    }

    private static Uni<Booking> lockedBooking(long userId, Long bookingId) {
        if (bookingId == null) {
            return Booking.<Booking>find("userId = ?1 and confirmed <> ?2", Sort.descending("createdAt", "id"), userId, BookingStatus.CANCELLED)
                    .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult()
                    .onItem().ifNull().failWith(() -> ApiErrors.badRequest("user " + userId + " has no active booking"));
        }
        return Booking.<Booking>findById(bookingId, LockModeType.PESSIMISTIC_WRITE)
                .map(booking -> {
                    // another user's booking is answered like a missing one: the path names whose booking to edit
                    if (booking == null || !Objects.equals(booking.userId, userId)) {
                        throw ApiErrors.notFound("booking " + bookingId + " of user " + userId + " not found");
                    }
                    return booking;
                });
    }

    /** Sets the new values on the entity; returns the fields whose value actually changed. */
    private static List<AdminEdits.Change> apply(Booking booking, Map<String, String> values) {
        List<AdminEdits.Change> changes = new ArrayList<>();
        values.forEach((field, value) -> {
            AdminEdits.Change change = new AdminEdits.Change(field, current(booking, field), value);
            if (change.changes()) {
                changes.add(change);
                switch (field) {
                    case BookingAdminEdit.COURSE_STREAM -> booking.courseStream = value;
                    case BookingAdminEdit.CONFIRMED -> booking.confirmed = Integer.valueOf(value);
                    case BookingAdminEdit.REFERRAL_CODE -> booking.referralCode = value;
                    case BookingAdminEdit.DISCOUNT_PERCENT -> booking.discountPercent = Integer.valueOf(value);
                    default -> throw new IllegalArgumentException(field);
                }
            }
        });
        return changes;
    }

    private static String current(Booking booking, String field) {
        Object value = switch (field) {
            case BookingAdminEdit.COURSE_STREAM -> booking.courseStream;
            case BookingAdminEdit.CONFIRMED -> booking.confirmed;
            case BookingAdminEdit.REFERRAL_CODE -> booking.referralCode;
            case BookingAdminEdit.DISCOUNT_PERCENT -> booking.discountPercent;
            default -> throw new IllegalArgumentException(field);
        };
        return value == null ? null : value.toString();
    }
}
