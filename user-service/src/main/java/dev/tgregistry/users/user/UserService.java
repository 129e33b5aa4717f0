package dev.tgregistry.users.user;

import dev.tgregistry.users.audience.AudiencePage;
import dev.tgregistry.users.audience.KeysetCursor;
import dev.tgregistry.users.reachability.RecipientStatus;
import dev.tgregistry.users.web.ApiErrors;
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
    private final UserRepository repository;
    private final UserDetailRepository details;
    private final KeysetCursor cursors;

    public UserService(UserRepository repository, UserDetailRepository details, KeysetCursor cursors) {
        this.repository = repository;
        this.details = details;
        this.cursors = cursors;
    }

    public Uni<UserDetail> detail(long userId) {
        return details.detail(userId).map(detail -> {
            if (detail == null) {
                throw ApiErrors.notFound("user " + userId + " not found");
            }
            return detail;
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
