package dev.tgregistry.bench.generate;

import dev.tgregistry.bench.Bench;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/** Writes the generated bookings (course streams, statuses, referral codes) and free-lesson registrations. */
final class BookingsWriter {

    private BookingsWriter() {
    }

    static void insertBookings(Connection c, GenerateData.Params p, Instant now) throws SQLException {
        Bench.log(String.format(Locale.ROOT, "  bookings: %,d rows", p.bookings()));
        StringBuilder streams = new StringBuilder("ARRAY[");
        for (int i = 0; i < GenerateData.STREAMS.length; i++) {
            streams.append(i == 0 ? "" : ",").append('\'').append(GenerateData.STREAMS[i]).append('\'');
        }
        streams.append(']');
        String sql = """
                INSERT INTO bookings (user_id, username, first_name, course_id, confirmed, created_at, referral_code,
                                      discount_percent, course_stream, changed_at)
                SELECT u.user_id, u.username, u.first_name, 1 + s.k %% 3,
                       CASE WHEN s.r < 0.10 THEN -1 WHEN s.r < 0.35 THEN 0 WHEN s.r < 0.50 THEN 1 ELSE 2 END,
                       ?::timestamptz - s.c * interval '60 days',
                       CASE WHEN s.k %% 10 = 0 THEN 'FRIEND' || (s.k %% 50) END,
                       CASE WHEN s.k %% 10 = 0 THEN 20 ELSE 0 END,
                       (%s)[1 + least(floor(s.st * %d), %d)::int],
                       ?::timestamptz - s.c * interval '60 days' + s.r * interval '1 day'
                FROM (SELECT g AS k, %s AS uid, random() AS r, random() AS c, random() AS st
                      FROM generate_series(1, ?::bigint) g) s
                JOIN users u ON u.user_id = s.uid
                """.formatted(streams, GenerateData.STREAMS.length, GenerateData.STREAMS.length - 1, EventsWriter.skewedUser(p.users(), 1.5));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setLong(3, p.bookings());
            ps.executeUpdate();
        }
    }

    static void insertRegistrations(Connection c, GenerateData.Params p, Instant now) throws SQLException {
        Bench.log(String.format(Locale.ROOT, "  free_lesson_registrations: %,d rows", p.registrations()));
        String sql = """
                INSERT INTO free_lesson_registrations (user_id, username, first_name, email, registered_at,
                                                       notification_sent, lesson_type, lesson_date)
                SELECT u.user_id, u.username, u.first_name,
                       COALESCE(lower(u.username), 'user' || u.user_id) || CASE WHEN s.k %% 10 = 0 THEN '.work' ELSE '' END
                           || '@' || (ARRAY['gmail.com','yandex.ru','mail.ru','outlook.com','proton.me'])[1 + s.k %% 5],
                       ?::timestamptz - s.c * interval '60 days', s.k %% 4 <> 0,
                       (ARRAY['cursor_lesson','intro_to_python','ai_agents'])[1 + s.k %% 3],
                       ((?::timestamptz - s.c * interval '60 days') AT TIME ZONE 'UTC')::date + 3
                FROM (SELECT g AS k, %s AS uid, random() AS c FROM generate_series(?::bigint, ?::bigint) g) s
                JOIN users u ON u.user_id = s.uid
                ON CONFLICT DO NOTHING
                """.formatted(EventsWriter.skewedUser(p.users(), 1.3));
        long have = 0;
        long next = 1;
        for (int round = 0; round < 20 && have < p.registrations(); round++) {
            long want = p.registrations() - have;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                ps.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                ps.setLong(3, next);
                ps.setLong(4, next + want - 1);
                have += ps.executeUpdate();
                next += want;
            }
        }
    }
}
