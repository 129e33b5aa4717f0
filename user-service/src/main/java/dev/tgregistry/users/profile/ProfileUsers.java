package dev.tgregistry.users.profile;

import dev.tgregistry.users.db.Rows;
import dev.tgregistry.users.person.UserView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The profile feature's reads and writes of {@code users}, a pipeline table, on the Pool. */
@ApplicationScoped
public class ProfileUsers {
    static final String BY_IDS = "SELECT " + UserView.COLUMNS + " FROM users u WHERE u.user_id = ANY($1::bigint[])";
    /**
     * A user the registry has not seen yet gets a row without names; the first sighting fills them in. An erased
     * id is handled by the users_erased_guard trigger like any insert.
     */
    static final String ENSURE = "INSERT INTO users (user_id, first_seen_at, last_seen_at, updated_at) "
            + "VALUES ($1, now(), now(), now()) ON CONFLICT (user_id) DO NOTHING";

    private final Pool pool;

    public ProfileUsers(Pool pool) {
        this.pool = pool;
    }

    Uni<List<UserView>> byIds(List<Long> ids) {
        return pool.preparedQuery(BY_IDS).execute(Tuple.of(ids.toArray(Long[]::new))).map(rows -> Rows.map(rows, UserView::of));
    }

    Uni<Void> ensure(long userId) {
        return pool.preparedQuery(ENSURE).execute(Tuple.of(userId)).replaceWithVoid();
    }
}
