package dev.tgregistry.users.user;

import dev.tgregistry.users.person.UserView;
import dev.tgregistry.users.booking.BookingView;
import dev.tgregistry.users.db.PgJsonTimes;
import dev.tgregistry.users.db.Rows;
import dev.tgregistry.users.events.EventRepository;
import dev.tgregistry.users.profile.ProfileView;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code GET /api/users/{id}} in one statement: the users row, its profile, and the user's bookings, latest 50 events
 * and free-lesson registrations as JSON arrays (one round trip and one connection instead of one per list).
 */
@ApplicationScoped
public class UserDetailRepository {
    static final String DETAIL = "SELECT " + UserView.COLUMNS + ", "
            + "p.user_id AS profile_user_id, p.onboarding_completed, p.real_name, p.nickname, p.study_track, p.grade_band, "
            + "p.grade_year, p.grade_year_text, p.phone, p.last_activity, p.attributes::text AS attributes, p.version, "
            + "p.created_at AS profile_created_at, p.updated_at AS profile_updated_at, "
            + "(SELECT count(*) FROM events e WHERE e.user_id = u.user_id) AS total_events, "
            + "(SELECT json_agg(b ORDER BY b.created_at DESC, b.id DESC) FROM (SELECT id, course_id, course_stream, confirmed, "
            + "created_at, referral_code, discount_percent, changed_at FROM bookings WHERE user_id = u.user_id) b) AS bookings, "
            + "(SELECT json_agg(e ORDER BY e.created_at DESC, e.id DESC) FROM (SELECT id, event_type, "
            + EventRepository.DETAILS_AS_SERVED + " AS details, created_at FROM events WHERE user_id = u.user_id "
            + "ORDER BY created_at DESC, id DESC LIMIT 50) e) AS events, "
            + "(SELECT json_agg(f ORDER BY f.registered_at DESC, f.id DESC) FROM (SELECT id, email, lesson_type, lesson_date, "
            + "registered_at, notification_sent FROM free_lesson_registrations WHERE user_id = u.user_id) f) AS free_lessons "
            + "FROM users u LEFT JOIN user_profiles p ON p.user_id = u.user_id WHERE u.user_id = $1";

    private final Pool pool;

    public UserDetailRepository(Pool pool) {
        this.pool = pool;
    }

    /** The user's detail, or null when there is no such user. */
    public Uni<UserDetail> detail(long userId) {
        return pool.preparedQuery(DETAIL).execute(Tuple.of(userId)).map(rows -> {
            RowIterator<Row> found = rows.iterator();
            return found.hasNext() ? detail(found.next()) : null;
        });
    }

    private static UserDetail detail(Row row) {
        long userId = row.getLong("user_id");
        List<BookingView> bookings = list(row.getJsonArray("bookings"), booking -> booking(userId, booking));
        List<UserDetail.Event> events = list(row.getJsonArray("events"), event -> new UserDetail.Event(event.getLong("id"), userId,
                event.getString("event_type"), event.getString("details"), PgJsonTimes.instant(event.getString("created_at"))));
        List<UserDetail.FreeLesson> lessons = list(row.getJsonArray("free_lessons"), lesson -> new UserDetail.FreeLesson(
                lesson.getLong("id"), userId, lesson.getString("email"), lesson.getString("lesson_type"),
                PgJsonTimes.date(lesson.getString("lesson_date")), PgJsonTimes.instant(lesson.getString("registered_at")), lesson.getBoolean("notification_sent")));
        BookingView latest = bookings.isEmpty() ? null : bookings.get(0);
        UserTotals totals = new UserTotals(bookings.size(), row.getLong("total_events"), lessons.size(),
                latest == null ? null : latest.courseStream(), latest == null ? null : latest.confirmed(), null, null);
        return new UserDetail(UserDetail.UserWithTotals.of(UserView.of(row), totals), profile(row), bookings, events, lessons);
    }

    private static BookingView booking(long userId, JsonObject booking) {
        return new BookingView(booking.getLong("id"), userId, booking.getInteger("course_id"), booking.getString("course_stream"),
                booking.getInteger("confirmed"), PgJsonTimes.instant(booking.getString("created_at")), booking.getString("referral_code"),
                booking.getInteger("discount_percent"), PgJsonTimes.instant(booking.getString("changed_at")));
    }

    private static ProfileView profile(Row row) {
        if (row.getLong("profile_user_id") == null) {
            return null;
        }
        return new ProfileView(row.getLong("user_id"), row.getBoolean("onboarding_completed"), row.getString("real_name"),
                row.getString("nickname"), row.getString("study_track"), row.getString("grade_band"), row.getInteger("grade_year"),
                row.getString("grade_year_text"), row.getString("phone"), Rows.instant(row, "last_activity"), row.getString("attributes"),
                row.getLong("version"), Rows.instant(row, "profile_created_at"), Rows.instant(row, "profile_updated_at"));
    }

    private static <T> List<T> list(JsonArray items, Function<JsonObject, T> mapper) {
        if (items == null) {
            return List.of();
        }
        List<T> mapped = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            mapped.add(mapper.apply(items.getJsonObject(i)));
        }
        return mapped;
    }
}
