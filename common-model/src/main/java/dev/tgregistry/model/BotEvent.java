package dev.tgregistry.model;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * Topic {@value Topics#BOT_EVENTS}: one entry of the bot's event log. Also the body of {@code POST /bot/events}.
 *
 * @param eventId stable id used for de-duplication; bot-ingest derives one when the bot sends none
 * @param user    optional snapshot of the user, which then also counts as a sighting
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BotEvent(
        Integer schemaVersion,
        String eventId,
        @Schema(required = true) Long userId,
        @Schema(required = true) String eventType,
        ObjectNode details,
        Instant occurredAt,
        TelegramUser user) implements RegistryRecord {

    public static final int MAX_EVENT_TYPE = 50;
    public static final int MAX_EVENT_ID = 128;

    public BotEvent withDefaults(String defaultEventId, Instant defaultOccurredAt) {
        return new BotEvent(SCHEMA_VERSION,
                eventId != null ? eventId : defaultEventId,
                userId, eventType, details,
                occurredAt != null ? occurredAt : defaultOccurredAt,
                user == null || user.id() != null ? user : user.withId(userId));
    }

    @Override
    public String key() {
        return Long.toString(userId);
    }

    @Override
    public void validate() {
        Checks.schemaVersion(schemaVersion);
        Checks.notBlank("event_id", eventId, MAX_EVENT_ID);
        Checks.positive("user_id", userId);
        Checks.notBlank("event_type", eventType, MAX_EVENT_TYPE);
        Checks.notNull("occurred_at", occurredAt);
        RecordTimes.check("occurred_at", occurredAt);
        Checks.json("details", details);
        if (user != null) {
            user.validateAt("user.");
            if (!user.id().equals(userId)) {
                throw new ContractViolation("user.id", "must equal user_id");
            }
        }
    }
}
