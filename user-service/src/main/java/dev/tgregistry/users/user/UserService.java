package dev.tgregistry.users.user;

import dev.tgregistry.users.audience.AudiencePage;
import dev.tgregistry.users.audience.KeysetCursor;
import dev.tgregistry.users.web.ApiErrors;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.List;

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

    /** The {@link Validation} of these ids as its JSON body. */
    public Uni<Buffer> validate(List<Long> requestedIds) {
        long[] distinct = requestedIds.stream().mapToLong(Long::longValue).distinct().toArray();
        return lookUp(distinct).map(found -> ValidationJson.write(distinct, found));
    }

    /**
     * A large request is looked up as two statements on two connections at once, halves of the sorted ids (each
     * id is a primary-key probe; PostgreSQL runs one statement on one core).
     */
    private Uni<List<RowSet<Row>>> lookUp(long[] userIds) {
        if (userIds.length < SPLIT_LOOKUP_FROM) {
            return repository.byIds(userIds).map(List::of);
        }
        long[] sorted = userIds.clone();
        Arrays.sort(sorted);
        int half = sorted.length / 2;
        return Uni.combine().all()
                .unis(repository.byIds(Arrays.copyOfRange(sorted, 0, half)), repository.byIds(Arrays.copyOfRange(sorted, half, sorted.length)))
                .with((lower, upper) -> List.of(lower, upper));
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
