package dev.tgregistry.users.user;

import dev.tgregistry.users.audience.AudiencePage;
import dev.tgregistry.users.audience.KeysetCursor;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgregistry.users.web.ApiErrors;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.List;

@ApplicationScoped
public class UserService {
    private static final int SPLIT_LOOKUP_FROM = 2_000;
    private final UserRepository repository;
    private final UserDetailRepository details;
    private final KeysetCursor cursors;
    private final ObjectMapper json;

    public UserService(UserRepository repository, UserDetailRepository details, KeysetCursor cursors, ObjectMapper json) {
        this.repository = repository;
        this.json = json;
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

    /** The validate response for {@code requestedIds} (request order, duplicates allowed) as JSON ({@link Validation}'s shape). */
    public Uni<Buffer> validate(long[] requestedIds) {
        long[] distinct = distinctInOrder(requestedIds);
        return lookUp(distinct).map(found -> ValidationJson.write(json.getFactory(), distinct, found));
    }

    private static long[] distinctInOrder(long[] ids) {
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        boolean repeats = false;
        for (int i = 1; i < sorted.length && !repeats; i++) {
            repeats = sorted[i] == sorted[i - 1];
        }
        return repeats ? Arrays.stream(ids).distinct().toArray() : ids;
    }

    /**
     * The users among {@code userIds}, in parts by user id. A large request is looked up as two statements on two
     * connections at once, halves of the sorted ids (each id is a primary-key probe; PostgreSQL runs one statement on
     * one core).
     */
    private Uni<List<FoundUsers>> lookUp(long[] userIds) {
        Long[] sorted = Arrays.stream(userIds).sorted().boxed().toArray(Long[]::new);
        if (sorted.length < SPLIT_LOOKUP_FROM) {
            return repository.byIds(sorted, json.getFactory()).map(List::of);
        }
        int half = sorted.length / 2;
        return Uni.combine().all()
                .unis(repository.byIds(Arrays.copyOfRange(sorted, 0, half), json.getFactory()),
                        repository.byIds(Arrays.copyOfRange(sorted, half, sorted.length), json.getFactory()))
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
