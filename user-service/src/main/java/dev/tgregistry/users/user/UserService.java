package dev.tgregistry.users.user;

import dev.tgregistry.users.audience.AudiencePage;
import dev.tgregistry.users.audience.KeysetCursor;
import dev.tgregistry.users.booking.BookingRepository;
import dev.tgregistry.users.profile.ProfileView;
import dev.tgregistry.users.reachability.RecipientStatus;
import dev.tgregistry.users.profile.UserProfile;
import dev.tgregistry.users.web.ApiErrors;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class UserService {
    private static final int SPLIT_LOOKUP_FROM = 2_000;
    static final String USER_WITH_PROFILE =
            "select u, p from User u left join UserProfile p on p.userId = u.userId where u.userId = :id";
    private final UserRepository repository;
    private final UserListRepository lists;
    private final BookingRepository bookings;
    private final KeysetCursor cursors;

    public UserService(UserRepository repository, UserListRepository lists, BookingRepository bookings, KeysetCursor cursors) {
        this.repository = repository;
        this.lists = lists;
        this.bookings = bookings;
        this.cursors = cursors;
    }

    /**
     * The user and their profile in one statement, and their lists at the same time on connections of their own:
     * the answer waits for the slowest read rather than for the sum of six.
     */
    @WithSession
    public Uni<UserDetail> detail(long userId) {
        Uni<Object[]> userWithProfile = Panache.getSession().chain(session -> session
                .createSelectionQuery(USER_WITH_PROFILE, Object[].class).setParameter("id", userId).getSingleResultOrNull());
        return Uni.combine().all()
                .unis(userWithProfile, bookings.ofUser(userId), repository.latestEvents(userId), repository.freeLessons(userId),
                        lists.totals(new Long[]{userId}))
                .with((found, bookings, events, lessons, totals) -> {
                    if (found == null) {
                        throw ApiErrors.notFound("user " + userId + " not found");
                    }
                    UserView user = UserView.of((User) found[0]);
                    ProfileView profile = found[1] == null ? null : ProfileView.of((UserProfile) found[1]);
                    return new UserDetail(UserDetail.UserWithTotals.of(user, totals.getOrDefault(userId, UserTotals.NONE)),
                            profile, bookings, events, lessons);
                });
    }

    public Uni<Validation> validate(List<Long> requestedIds) {
        Long[] distinct = requestedIds.stream().distinct().toArray(Long[]::new);
        return lookUp(distinct).map(found -> {
            Map<Long, Recipient> known = new HashMap<>();
            found.forEach(recipient -> known.put(recipient.user().userId(), recipient));
            Map<String, RecipientStatus> statuses = new LinkedHashMap<>();
            Map<RecipientStatus, Integer> counts = new EnumMap<>(RecipientStatus.class);
            for (Long id : distinct) {
                Recipient recipient = known.get(id);
                RecipientStatus status = recipient == null ? RecipientStatus.UNKNOWN : recipient.status();
                statuses.put(Long.toString(id), status);
                counts.merge(status, 1, Integer::sum);
            }
            List<UserSummary> valid = found.stream().map(Recipient::user).toList();
            List<Long> invalid = Arrays.stream(distinct).filter(id -> !known.containsKey(id)).toList();
            List<Long> inactive = valid.stream().filter(user -> !user.isActive()).map(UserSummary::userId).toList();
            return new Validation(valid, invalid, inactive, valid.size(), invalid.size(), statuses,
                    Validation.StatusCounts.of(counts));
        });
    }

    /**
     * A large request is looked up as two statements on two connections at once, halves of the sorted ids (each
     * id is a primary-key probe; PostgreSQL runs one statement on one core).
     */
    private Uni<List<Recipient>> lookUp(Long[] userIds) {
        if (userIds.length < SPLIT_LOOKUP_FROM) {
            return repository.byIds(userIds);
        }
        Long[] sorted = userIds.clone();
        Arrays.sort(sorted);
        int half = sorted.length / 2;
        return Uni.combine().all()
                .unis(repository.byIds(Arrays.copyOfRange(sorted, 0, half)), repository.byIds(Arrays.copyOfRange(sorted, half, sorted.length)))
                .with((lower, upper) -> {
                    List<Recipient> all = new ArrayList<>(lower.size() + upper.size());
                    all.addAll(lower);
                    all.addAll(upper);
                    return all;
                });
    }

    static final String NON_COURSE_LIST = "non-course";

    /** A page of users without a confirmed booking, by user id, after {@code cursor} (null = from the start). */
    public Uni<AudiencePage<UserSummary>> nonCourse(int pageSize, String cursor) {
        List<String> key = cursors.decode(NON_COURSE_LIST, cursor, 1);
        long after = key == null ? 0 : KeysetCursor.longPart(key, 0);
        return repository.withoutConfirmedBooking(after, pageSize + 1)
                .map(rows -> AudiencePage.of(rows, pageSize, last -> cursors.encode(NON_COURSE_LIST, last.userId())));
    }
}
