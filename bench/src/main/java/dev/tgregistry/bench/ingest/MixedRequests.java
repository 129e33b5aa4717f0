package dev.tgregistry.bench.ingest;

import dev.tgregistry.bench.generate.Names;
import dev.tgregistry.model.BookingChanged;
import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.FreeLessonRegistered;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.TelegramUser;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** The mixed workload's bot records next to a steady stream: (f) of bench/README.md's "bench/run ingest". */
final class MixedRequests {
    final List<BodySender.Request> requests = new ArrayList<>();
    int events;
    int bookings;
    int registrations;
    private final String prefix;

    MixedRequests(String prefix) {
        this.prefix = prefix;
    }

    static MixedRequests build(String prefix, SteadyStream.Sighting[] s, int batch, int trickleEvery, long firstBotId) {
        MixedRequests m = new MixedRequests(prefix);
        int request = 0;
        for (int from = 0; from < s.length; from += batch, request++) {
            int to = Math.min(s.length, from + batch);
            List<BotEvent> events = new ArrayList<>();
            for (int i = from; i < to; i += 3) {
                SteadyStream.Sighting x = s[i];
                Names.Person p = x.person();
                TelegramUser user = new TelegramUser(x.userId(), false, p.username(), p.firstName(), p.lastName(), p.languageCode(), null);
                events.add(new BotEvent(1, prefix + "-" + m.events++, x.userId(), "button_click", null,
                        Instant.ofEpochSecond(x.date()), user));
            }
            m.requests.add(json("/bot/events", events));
            if (request % trickleEvery == 0) {
                SteadyStream.Sighting x = s[from];
                Instant at = Instant.ofEpochSecond(x.date());
                long id = firstBotId + request;
                m.requests.add(json("/bot/bookings", List.of(new BookingChanged(1, id, x.userId(), x.person().username(),
                        x.person().firstName(), 1, "8th_stream", 0, at, null, null, at))));
                m.bookings++;
                m.requests.add(json("/bot/free-lessons", List.of(new FreeLessonRegistered(1, id, x.userId(),
                        x.person().username(), x.person().firstName(), "lead" + id + "@example.com", "intro_to_python",
                        LocalDate.of(2030, 1, 1).plusDays(request), at, false))));
                m.registrations++;
            }
        }
        return m;
    }

    private static BodySender.Request json(String path, List<?> records) {
        return new BodySender.Request(path, RecordJson.write(records).getBytes(StandardCharsets.UTF_8));
    }

    /** [stored rows, distinct event ids] of this workload's events. */
    long[] storedEvents(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*), count(DISTINCT event_id) FROM events WHERE event_id LIKE ?")) {
            ps.setString(1, prefix + "-%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[]{rs.getLong(1), rs.getLong(2)};
            }
        }
    }
}
