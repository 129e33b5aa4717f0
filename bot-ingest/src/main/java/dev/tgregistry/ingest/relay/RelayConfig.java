package dev.tgregistry.ingest.relay;

import io.quarkus.runtime.configuration.MemorySize;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code app.relay.*} of {@code IngestConfig}: webhook relay mode (off unless {@code app.relay.target-url} is set), see
 * {@link WebhookRelay}. Every property has its environment variable in README "Configuration" ({@code APP_RELAY_TARGET_URL}, ...).
 */
public interface RelayConfig {
    /** The bot's own webhook URL (absolute http or https); absent or empty: relay off. */
    Optional<String> targetUrl();

    /** Sent to the bot as {@code X-Telegram-Bot-Api-Secret-Token}: the secret the bot's webhook checks. */
    Optional<String> targetSecret();

    /** The bot must have answered within this; else Telegram gets 504 and retries. */
    Duration timeout();

    /** Open connections to the bot at most (requests beyond wait for one). */
    int maxConnections();

    /**
     * Self-addressed deliveries to a local sink before bot-ingest reports ready (0: none), so Telegram's first updates
     * find compiled code; see {@link RelayWarmUp}.
     */
    int warmUpDeliveries();

    Spool spool();

    interface Spool {
        /** Estimated heap the sightings waiting for Kafka may take; when full, the oldest are dropped. */
            MemorySize maxBytes();

        /** Longest pause between two attempts to publish the spool while Kafka is away. */
            Duration retryMaxBackoff();
    }
}
