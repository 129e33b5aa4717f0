package dev.tgregistry.users.consumer;

import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.RecordJson;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tgregistry.users.consumer.SqlArrays.longs;
import static dev.tgregistry.users.consumer.SqlArrays.texts;
import static dev.tgregistry.users.consumer.SqlArrays.times;

/** Bot events: stored once per event_id; each also touches its user (and may report a block). */
@ApplicationScoped
public class EventWriter {
    /** Event types with which the bot reports that sending to the user failed with 403 (bot blocked). */
    static final Set<String> BLOCK_EVENT_TYPES = Set.of("bot_blocked", "user_blocked_bot");

    static final String INSERT_EVENTS = """
            INSERT INTO events (event_id, user_id, event_type, details, created_at)
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[]::jsonb[], $5::timestamptz[])
            ON CONFLICT (event_id) DO NOTHING
            """;

    private final Pool pool;
    private final UserTouchWriter users;

    public EventWriter(Pool pool, UserTouchWriter users) {
        this.pool = pool;
        this.users = users;
    }

    public Uni<Void> apply(List<BotEvent> batch) {
        Map<String, BotEvent> byId = new LinkedHashMap<>();
        batch.forEach(event -> byId.putIfAbsent(event.eventId(), event));
        Collection<BotEvent> events = byId.values();
        Tuple columns = Tuple.tuple(List.of(
                texts(events, BotEvent::eventId),
                longs(events, BotEvent::userId),
                texts(events, BotEvent::eventType),
                texts(events, event -> event.details() == null ? null : RecordJson.write(event.details())),
                times(events, BotEvent::occurredAt)));
        List<UserTouch> touches = events.stream().map(EventWriter::touchOf).toList();
        return pool.withTransaction(connection -> connection.preparedQuery(INSERT_EVENTS).execute(columns)
                .chain(() -> users.touch(connection, touches)));
    }

    /** The bot copies known names into details (since mid-2025); a 403 on send means the user blocked the bot. */
    static UserTouch touchOf(BotEvent event) {
        var details = event.details();
        String username = details != null && details.path("username").isTextual() ? details.get("username").asText() : null;
        String firstName = details != null && details.path("first_name").isTextual() ? details.get("first_name").asText() : null;
        boolean blocked = BLOCK_EVENT_TYPES.contains(event.eventType())
                || (details != null && (details.path("error_code").asInt() == 403 || details.path("status_code").asInt() == 403));
        return new UserTouch(event.userId(), event.occurredAt(), username, firstName, blocked);
    }
}
