package dev.tgregistry.users.segment;

import dev.tgregistry.users.audience.AudiencePage;
import dev.tgregistry.users.audience.KeysetCursor;
import dev.tgregistry.users.segment.SegmentUserRepository.Position;
import dev.tgregistry.users.person.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/**
 * The users a filter selects, page by page or counted. A walk keeps the "now" of its first page in the cursor, so
 * a relative window ({@code first_seen_within}, {@code did ...:D}) does not slide while the pages are read.
 */
@ApplicationScoped
public class SegmentUsers {
    private final SegmentUserRepository users;
    private final KeysetCursor cursors;

    public SegmentUsers(SegmentUserRepository users, KeysetCursor cursors) {
        this.users = users;
        this.cursors = cursors;
    }

    /** Checks what a walk needs before any row is read (a 400 names the parameter). */
    public Walk walk(SegmentFilter filter, String sort, String cursor) {
        UserOrder order = UserOrder.parse(sort);
        return continued(new Walk(SegmentRules.check(filter), order, "users." + order.param, Instant.now(), null), cursor);
    }

    /** {@code walk} from where {@code cursor} says (its filter and order already checked); as it is without one. */
    private Walk continued(Walk walk, String cursor) {
        List<String> key = cursors.decode(walk.list, cursor, 3);
        if (key == null) {
            return walk;
        }
        return new Walk(walk.filter, walk.order, walk.list, cursors.pinnedInstant(key, 0),
                new Position(KeysetCursor.instantPart(key, 1), KeysetCursor.longPart(key, 2)));
    }

    public Uni<AudiencePage<UserView>> page(Walk walk, int limit) {
        return users.page(walk.filter, walk.now, walk.order, walk.after, limit + 1)
                .map(rows -> AudiencePage.of(rows, limit, last -> cursors.encode(walk.list, walk.now,
                        walk.order.keyOf(last.firstSeenAt(), last.lastSeenAt()), last.userId())));
    }

    /** The walk's next page after {@code cursor} (for the CSV, which reads every page). */
    public Uni<AudiencePage<UserView>> pageAfter(Walk first, String cursor, int limit) {
        return page(continued(first, cursor), limit);
    }

    public Uni<Long> count(SegmentFilter filter) {
        return users.count(SegmentRules.check(filter), Instant.now());
    }

    /** A checked filter, its order, the walk's pinned now and where the previous page ended (null: first page). */
    public record Walk(SegmentFilter filter, UserOrder order, String list, Instant now, Position after) {
    }
}
