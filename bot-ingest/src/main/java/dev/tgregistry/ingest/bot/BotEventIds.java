package dev.tgregistry.ingest.bot;

import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.RecordJson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * Derives a stable {@code event_id} for events the bot sent without one, so a retried POST is not a new event.
 * The id hashes the user, type, details and {@code occurred_at}; when {@code occurred_at} is also missing,
 * the receive time truncated to the minute stands in, so only a retry within the same minute is recognised.
 */
final class BotEventIds {
    private BotEventIds() {
    }

    static String derive(BotEvent event, Instant receivedAt) {
        Instant when = event.occurredAt() != null ? event.occurredAt() : receivedAt.truncatedTo(ChronoUnit.MINUTES);
        String identity = event.userId() + "|" + event.eventType() + "|" + when + "|"
                + (event.details() == null ? "" : RecordJson.write(event.details()));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return "d-" + HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
