package dev.tgregistry.users.reachability;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What a message to one user id would meet ({@code POST /api/users/validate}). */
public enum RecipientStatus {
    /** The registry holds no such user (never seen, or erased). */
    UNKNOWN,
    /** The user blocked the bot (a send failed with "bot was blocked by the user", or Telegram said so). */
    BLOCKED,
    /** The account was deleted ("user is deactivated"). */
    DEACTIVATED,
    /** Never seen in a private chat with the bot, or Telegram said "bot can't initiate conversation with a user". */
    NOT_REACHABLE_BY_DM,
    /** Seen in a private chat with the bot and nothing failed since. */
    OK;

    private final String code = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String code() {
        return code;
    }

    public static RecipientStatus of(String code) {
        for (RecipientStatus status : values()) {
            if (status.code.equals(code)) {
                return status;
            }
        }
        throw new IllegalArgumentException("no recipient status " + code);
    }
}
