package dev.tgregistry.users.freelesson;

import dev.tgregistry.users.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class FreeLessonRepository {
    /** Names from users when it has any, else the registration's copy. */
    static final String RECENT = """
            SELECT f.id, f.user_id, f.email, f.registered_at, f.notification_sent, f.lesson_type, f.lesson_date,
                   CASE WHEN u.username IS NULL AND u.first_name IS NULL THEN f.username ELSE u.username END AS username,
                   CASE WHEN u.username IS NULL AND u.first_name IS NULL THEN f.first_name ELSE u.first_name END AS first_name,
                   u.last_name
            FROM (SELECT * FROM free_lesson_registrations WHERE user_id > 0 ORDER BY registered_at DESC NULLS LAST, id DESC LIMIT $1) f
            LEFT JOIN users u ON u.user_id = f.user_id
            ORDER BY f.registered_at DESC NULLS LAST, f.id DESC
            """;

    private final Pool pool;

    public FreeLessonRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<RecentFreeLesson>> recent(int limit) {
        return pool.preparedQuery(RECENT).execute(Tuple.of(limit)).map(rows -> Rows.map(rows, RecentFreeLesson::of));
    }
}
