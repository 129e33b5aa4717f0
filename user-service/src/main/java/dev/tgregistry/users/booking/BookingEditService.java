package dev.tgregistry.users.booking;

import dev.tgregistry.model.BookingAdminEdit;
import dev.tgregistry.users.edits.AdminEdit;
import dev.tgregistry.users.edits.AdminEdits;
import dev.tgregistry.users.coursestream.Booking;
import dev.tgregistry.users.coursestream.CourseStreamService;
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
 * A dashboard edit of one booking: the booking (row-locked) and its admin-edit rows are written in one Hibernate
 * Reactive transaction; the edits are published after the commit.
 */
@ApplicationScoped
public class BookingEditService {
    private final CourseStreamService streams;
    private final AdminEdits edits;

    public BookingEditService(CourseStreamService streams, AdminEdits edits) {
        this.streams = streams;
        this.edits = edits;
    }

    public Uni<BookingEdit> edit(long userId, BookingUpdates updates, String keyId) {
        String stream = updates.values().get(BookingAdminEdit.COURSE_STREAM);
        Uni<Void> checked = stream == null ? Uni.createFrom().voidItem() : streams.requireValid("updates.course_stream", stream);
        return checked.chain(() -> Panache.withTransaction(() -> lockedBooking(userId, updates.bookingId())
                        .chain(booking -> {
                            List<AdminEdits.Change> changes = apply(booking, updates.values());
                            return edits.record(booking, changes, keyId).map(recorded -> new Edited(booking.id, changes, recorded));
                        })))
                .map(edited -> {
                    edits.publish(edited.recorded());
                    return BookingEdit.of(edited.bookingId(), userId, edited.changes().stream().map(AdminEdits.Change::field).toList());
                });
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
