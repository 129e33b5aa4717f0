package dev.tgregistry.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A snapshot of a Telegram user as Telegram sent it (Bot API field names).
 * {@code username == null} means the user has none; {@code languageCode == null} means "not reported".
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TelegramUser(
        Long id,
        Boolean isBot,
        String username,
        String firstName,
        String lastName,
        String languageCode,
        Boolean isPremium) {

    static final int MAX_NAME = 256;

    public TelegramUser withId(Long newId) {
        return new TelegramUser(newId, isBot, username, firstName, lastName, languageCode, isPremium);
    }

    /** Validates with field names prefixed by {@code prefix} (e.g. {@code message.from.}). */
    public void validateAt(String prefix) {
        Checks.positive(prefix + "id", id);
        Checks.maxLength(prefix + "username", username, MAX_NAME);
        Checks.maxLength(prefix + "first_name", firstName, MAX_NAME);
        Checks.maxLength(prefix + "last_name", lastName, MAX_NAME);
        Checks.maxLength(prefix + "language_code", languageCode, 35);
    }
}
