package dev.tgregistry.users.user;

import dev.tgregistry.users.booking.BookingStatus;
import dev.tgregistry.users.db.Rows;
import dev.tgregistry.users.reachability.ReachabilitySql;
import com.fasterxml.jackson.core.JsonFactory;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.SqlResult;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** SQL of the user endpoints. */
@ApplicationScoped
public class UserRepository {

    static final String BY_IDS = "SELECT u.user_id, u.username, u.first_name, u.last_name, " + UserSummary.FLAGS + ", "
            + ReachabilitySql.recipientStatus("u") + " AS status FROM users u WHERE u.user_id = ANY($1::bigint[]) ORDER BY u.user_id";
    /** Keyset by user id (immutable, so a page never repeats or skips anyone while users come and go). */
    static final String NON_COURSE = "SELECT u.user_id, u.username, u.first_name, u.last_name, " + UserSummary.FLAGS + " FROM users u "
            + "WHERE u.user_id > $1 AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.user_id = u.user_id AND b.confirmed = " + BookingStatus.CONFIRMED + ") "
            + "ORDER BY u.user_id LIMIT $2";

    private final Pool pool;

    public UserRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * The users among {@code userIds}, by user id ascending, folded as their rows arrive ({@link FoundUsers}; the
     * Mutiny API has no collecting query, hence the core client).
     */
    Uni<FoundUsers> byIds(Long[] userIds, JsonFactory json) {
        return Uni.createFrom().completionStage(() -> pool.getDelegate().preparedQuery(BY_IDS)
                .collecting(FoundUsers.collector(json, userIds.length))
                .execute(io.vertx.sqlclient.Tuple.of(userIds))
                .map(SqlResult::value)
                .toCompletionStage());
    }

    /** Up to {@code limit} users without a confirmed booking whose id is above {@code afterUserId}, by id. */
    public Uni<List<UserSummary>> withoutConfirmedBooking(long afterUserId, int limit) {
        return pool.preparedQuery(NON_COURSE).execute(Tuple.of(afterUserId, limit)).map(rows -> Rows.map(rows, UserSummary::of));
    }
}
