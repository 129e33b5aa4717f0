package dev.tgregistry.users.consumer;

import dev.tgregistry.model.FreeLessonRegistered;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tgregistry.users.consumer.SqlArrays.bools;
import static dev.tgregistry.users.consumer.SqlArrays.longs;
import static dev.tgregistry.users.consumer.SqlArrays.texts;
import static dev.tgregistry.users.consumer.SqlArrays.times;

/**
 * Free-lesson registrations, upserted by id. {@code notification_sent} only ever turns true, so a replayed
 * older snapshot cannot undo a sent reminder. The bot's own unique (user, lesson type, date) stays in force:
 * a second registration id for the same lesson is skipped, not an error.
 */
@ApplicationScoped
public class FreeLessonWriter {
    private static final String ROWS = """
            unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[],
                   $8::timestamptz[], $9::boolean[])
                AS s(id, user_id, username, first_name, email, lesson_type, lesson_date, registered_at, notification_sent)
            """;
    static final String UPDATE_KNOWN = "UPDATE free_lesson_registrations f SET "
            + "user_id = s.user_id, username = s.username, first_name = s.first_name, email = s.email, "
            + "lesson_type = s.lesson_type, lesson_date = s.lesson_date, registered_at = s.registered_at, "
            + "notification_sent = f.notification_sent OR s.notification_sent "
            + "FROM " + ROWS
            + " WHERE f.id = s.id AND (f.user_id, f.username, f.first_name, f.email, f.lesson_type, f.lesson_date, "
            + "f.registered_at, f.notification_sent) IS DISTINCT FROM (s.user_id, s.username, s.first_name, s.email, "
            + "s.lesson_type, s.lesson_date, s.registered_at, f.notification_sent OR s.notification_sent)";
    static final String INSERT_NEW = "INSERT INTO free_lesson_registrations "
            + "(id, user_id, username, first_name, email, lesson_type, lesson_date, registered_at, notification_sent) "
            + "SELECT s.* FROM " + ROWS + " ON CONFLICT DO NOTHING";

    private final Pool pool;
    private final UserTouchWriter users;

    public FreeLessonWriter(Pool pool, UserTouchWriter users) {
        this.pool = pool;
        this.users = users;
    }

    public Uni<Void> apply(List<FreeLessonRegistered> batch) {
        Map<Long, FreeLessonRegistered> lastById = new LinkedHashMap<>();
        batch.forEach(registration -> lastById.put(registration.id(), registration));
        Collection<FreeLessonRegistered> registrations = lastById.values();
        Tuple columns = Tuple.tuple(List.of(
                longs(registrations, FreeLessonRegistered::id),
                longs(registrations, FreeLessonRegistered::userId),
                texts(registrations, FreeLessonRegistered::username),
                texts(registrations, FreeLessonRegistered::firstName),
                texts(registrations, FreeLessonRegistered::email),
                texts(registrations, FreeLessonRegistered::lessonType),
                registrations.stream().map(FreeLessonRegistered::lessonDate).toArray(java.time.LocalDate[]::new),
                times(registrations, FreeLessonRegistered::registeredAt),
                bools(registrations, FreeLessonRegistered::notificationSent)));
        List<UserTouch> touches = registrations.stream()
                .map(r -> new UserTouch(r.userId(), r.registeredAt(), r.username(), r.firstName())).toList();
        return pool.withTransaction(connection -> connection.preparedQuery(UPDATE_KNOWN).execute(columns)
                .chain(() -> connection.preparedQuery(INSERT_NEW).execute(columns))
                .chain(() -> users.touch(connection, touches)));
    }
}
