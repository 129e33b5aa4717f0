package dev.tgregistry.model;

import java.util.List;

/** Kafka topic names. Every record is keyed by the Telegram user id as a string of digits. */
public final class Topics {
    public static final String USER_SEEN = "telegram.user-seen.v1";
    public static final String BOT_EVENTS = "bot.events.v1";
    public static final String BOOKINGS = "bot.bookings.v1";
    public static final String FREE_LESSONS = "bot.free-lessons.v1";
    /** Published by user-service: an admin's change of a booking, for the bot to apply to its own database. */
    public static final String ADMIN_EDITS = "registry.admin-edits.v1";
    public static final String DLQ_SUFFIX = ".dlq";
    /** The record topics, each with a dead-letter topic {@code <topic>.dlq}. */
    public static final List<String> ALL = List.of(USER_SEEN, BOT_EVENTS, BOOKINGS, FREE_LESSONS);

    private Topics() {
    }

    public static String deadLetterOf(String topic) {
        return topic + DLQ_SUFFIX;
    }
}
