package dev.tgregistry.bench.generate;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.stack.Stack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes the generated events inside PostgreSQL (generate_series in two sessions): the dashboard's event types in
 * realistic shares, each with its details, for users picked with a skew towards a few very active ones.
 */
public final class EventsWriter {

    private EventsWriter() {
    }

    /** A random user id, skewed: {@code floor(users * random()^power)}. */
    public static String skewedUser(long users, double power) {
        return String.format(Locale.ROOT, "(%d + %d * least(floor(%d * power(random(), %s)), %d)::bigint)",
                GenerateData.ID_BASE, GenerateData.ID_STEP, users, power, users - 1);
    }

    private static final String EVENTS_SQL = """
            INSERT INTO events (user_id, event_type, details, created_at)
            SELECT uid,
                   CASE WHEN t < 0.10 THEN 'start_command' WHEN t < 0.32 THEN 'view_program'
                        WHEN t < 0.50 THEN 'lesson_link_clicked' WHEN t < 0.60 THEN 'view_price'
                        WHEN t < 0.68 THEN 'view_schedule' WHEN t < 0.73 THEN 'free_lesson_signup'
                        WHEN t < 0.79 THEN 'faq_opened' WHEN t < 0.85 THEN 'contact_admin'
                        WHEN t < 0.95 THEN 'free_lesson_reminder_sent' WHEN t < 0.985 THEN 'booking_status_changed'
                        ELSE 'payment_approved' END,
                   CASE WHEN t < 0.10 THEN jsonb_build_object('source', (ARRAY['organic','ads_tg','ads_vk','referral','youtube'])[1 + g %% 5])
                        WHEN t < 0.32 THEN jsonb_build_object('course_id', 1 + g %% 3)
                        WHEN t < 0.50 THEN jsonb_build_object('lesson', 1 + g %% 8, 'url', 'https://example.com/lessons/' || (1 + g %% 8))
                        WHEN t < 0.60 THEN jsonb_build_object('course_id', 1 + g %% 3, 'currency', 'RUB')
                        WHEN t < 0.68 THEN jsonb_build_object('stream', '8th_stream')
                        WHEN t < 0.73 THEN jsonb_build_object('lesson_type', 'cursor_lesson')
                        WHEN t < 0.79 THEN jsonb_build_object('question', 1 + g %% 12)
                        WHEN t < 0.85 THEN '{}'::jsonb
                        WHEN t < 0.95 THEN jsonb_build_object('lesson_type', 'cursor_lesson', 'hours_before', 24)
                        WHEN t < 0.985 THEN jsonb_build_object('booking_id', 1 + g %% 50000, 'confirmed', 1 + g %% 2)
                        ELSE jsonb_build_object('booking_id', 1 + g %% 50000, 'amount', 29900) END,
                   ?::timestamptz - c * interval '60 days'
            FROM (SELECT g, %s AS uid, random() AS t, random() AS c FROM generate_series(?::bigint, ?::bigint) g) s
            """;

    static void insert(Stack stack, GenerateData.Params p, Instant now) throws Exception {
        int sessions = 2;
        long perSession = p.events() / sessions;
        Bench.log(String.format(Locale.ROOT, "  events: %,d rows from generate_series in %d sessions", p.events(), sessions));
        String sql = EVENTS_SQL.formatted(skewedUser(p.users(), 2));
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < sessions; w++) {
                long from = w * perSession + 1;
                long to = w == sessions - 1 ? p.events() : (w + 1) * perSession;
                fs.add(pool.submit(() -> {
                    // chunks keep each statement's snapshot and memory small; progress is visible in the log
                    long chunk = 1_000_000;
                    try (Connection c = stack.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
                        for (long a = from; a <= to; a += chunk) {
                            ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                            ps.setLong(2, a);
                            ps.setLong(3, Math.min(to, a + chunk - 1));
                            ps.executeUpdate();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
