package dev.tgregistry.users.consumer;

import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.users.reachability.ReachabilityWriter;
import dev.tgregistry.users.reachability.SendOutcome;
import dev.tgregistry.users.reachability.SendResult;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static dev.tgregistry.users.consumer.SqlArrays.longs;
import static dev.tgregistry.users.consumer.SqlArrays.texts;
import static dev.tgregistry.users.consumer.SqlArrays.times;

/** Bot events: stored once per event_id; each also touches its user, and may report a failed send to them. */
@ApplicationScoped
public class EventWriter {
    /** Event types with which bots report a 403 on send even without {@code details.error_code}. */
    static final Set<String> BLOCK_EVENT_TYPES = Set.of("bot_blocked", "user_blocked_bot");

    static final String INSERT_EVENTS = """
            INSERT INTO events (event_id, user_id, event_type, details, created_at)
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[]::jsonb[], $5::timestamptz[])
            ON CONFLICT (event_id) DO NOTHING
            """;

    private final Pool pool;
    private final UserTouchWriter users;
    private final ReachabilityWriter reachability;

    public EventWriter(Pool pool, UserTouchWriter users, ReachabilityWriter reachability) {
        this.pool = pool;
        this.users = users;
        this.reachability = reachability;
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
        List<SendResult> failures = events.stream().map(EventWriter::failureOf).filter(Objects::nonNull).toList();
        return pool.withTransaction(connection -> connection.preparedQuery(INSERT_EVENTS).execute(columns)
                .chain(() -> users.touch(connection, touches))
                .chain(() -> reachability.apply(connection, failures)).replaceWithVoid());
    }

    /** The bot copies known names into details (since mid-2025). */
    static UserTouch touchOf(BotEvent event) {
        var details = event.details();
        String username = details != null && details.path("username").isTextual() ? details.get("username").asText() : null;
        String firstName = details != null && details.path("first_name").isTextual() ? details.get("first_name").asText() : null;
        return new UserTouch(event.userId(), event.occurredAt(), username, firstName);
    }

    /**
     * The failed send an event reports, classified from Telegram's {@code details.error_code} (or {@code status_code})
     * and {@code details.description}; a {@link #BLOCK_EVENT_TYPES} event without a code counts as a 403. Null when the
     * event reports none, or an error that says nothing about the user (not a 403).
     */
    static SendResult failureOf(BotEvent event) {
        var details = event.details();
        int code = 0;
        String description = null;
        if (details != null) {
            code = details.path("error_code").asInt();
            code = code != 0 ? code : details.path("status_code").asInt();
            description = details.path("description").isTextual() ? details.get("description").asText() : null;
        }
        if (code == 0 && BLOCK_EVENT_TYPES.contains(event.eventType())) {
            code = SendOutcome.FORBIDDEN;
        }
        SendOutcome outcome = SendOutcome.ofFailure(code, description);
        return outcome == null ? null : new SendResult(event.userId(), outcome, event.occurredAt());
    }
}
