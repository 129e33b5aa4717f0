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
    static final int MAX_LANGUAGE_CODE = 35;

    public TelegramUser withId(Long newId) {
        return new TelegramUser(newId, isBot, username, firstName, lastName, languageCode, isPremium);
    }

    /**
     * The user as Telegram sent it, made storable: text cleaned ({@link Text#clean}), cut to the contract's limits,
     * and an empty optional name read as absent (Telegram omits an absent last name or username; {@code ""} and
     * absent must not be two different names of one user).
     */
    public TelegramUser normalised() {
        return new TelegramUser(id, isBot, optionalName(username), name(firstName), optionalName(lastName),
                optionalName(Text.truncate(Text.clean(languageCode), MAX_LANGUAGE_CODE, MAX_LANGUAGE_CODE)), isPremium);
    }

    private static String name(String value) {
        return Text.truncate(Text.clean(value), MAX_NAME, 2 * MAX_NAME);
    }

    private static String optionalName(String value) {
        String cleaned = name(value);
        return cleaned == null || cleaned.isEmpty() ? null : cleaned;
    }

    /** Validates with field names prefixed by {@code prefix} (e.g. {@code message.from.}). */
    public void validateAt(String prefix) {
        Checks.positive(prefix + "id", id);
        Checks.maxLength(prefix + "username", username, MAX_NAME);
        Checks.maxLength(prefix + "first_name", firstName, MAX_NAME);
        Checks.maxLength(prefix + "last_name", lastName, MAX_NAME);
        Checks.maxLength(prefix + "language_code", languageCode, MAX_LANGUAGE_CODE);
    }
}
