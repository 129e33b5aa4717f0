package dev.tgregistry.users.segment;

import dev.tgregistry.users.web.ApiErrors;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The orders a user list can be walked in, and the keyset condition of the rows after a position. Newest first
 * puts users without the time first (PostgreSQL's DESC order, which the indexes hold).
 */
enum UserOrder {
    LAST_SEEN("last_seen", "u.last_seen_at"),
    FIRST_SEEN("first_seen", "u.first_seen_at"),
    ID("id", null);

    static final String NAMES = Arrays.stream(values()).map(order -> order.param).collect(Collectors.joining(", "));

    final String param;
    private final String column;

    UserOrder(String param, String column) {
        this.param = param;
        this.column = column;
    }

    static UserOrder parse(String text) {
        String wanted = text == null || text.isBlank() ? LAST_SEEN.param : text.strip();
        return Arrays.stream(values()).filter(order -> order.param.equals(wanted)).findFirst()
                .orElseThrow(() -> ApiErrors.badRequest("sort must be one of " + NAMES));
    }

    String orderBy() {
        return column == null ? " ORDER BY u.user_id" : " ORDER BY " + column + " DESC, u.user_id DESC";
    }

    /** The time a row is ordered by (null for ID). */
    Instant keyOf(Instant firstSeenAt, Instant lastSeenAt) {
        return this == LAST_SEEN ? lastSeenAt : this == FIRST_SEEN ? firstSeenAt : null;
    }

    /** The condition "after the row at ({@code at}, {@code userId})"; its values are appended to {@code parameters}. */
    String after(Instant at, long userId, List<Object> parameters) {
        parameters.add(userId);
        String id = "$" + parameters.size();
        if (column == null) {
            return "u.user_id > " + id;
        }
        if (at == null) {
            return "(" + column + " IS NOT NULL OR u.user_id < " + id + ")";
        }
        parameters.add(at.atOffset(ZoneOffset.UTC));
        return "(" + column + ", u.user_id) < ($" + parameters.size() + ", " + id + ")";
    }
}
