package dev.tgregistry.users.reachability;

import java.util.Locale;

/**
 * What one attempt to message a user told about them: delivered, or a failure class read from Telegram's answer.
 * Only 403 (Forbidden) answers say something about the user; other codes (429 flood wait, 400 bad request, 5xx) are
 * about the request or Telegram and change nothing. The classes, by Telegram's description:
 * <ul>
 *   <li>{@code blocked}: "Forbidden: bot was blocked by the user" (and a 403 without a description, which is what
 *       bots reported before descriptions were read);</li>
 *   <li>{@code deactivated}: "Forbidden: user is deactivated" (the account was deleted);</li>
 *   <li>{@code cant_initiate}: "Forbidden: bot can't initiate conversation with a user" (no private chat);</li>
 *   <li>{@code other}: any other 403 ("bot was kicked from the group chat", "bot can't send messages to bots", ...).</li>
 * </ul>
 */
public enum SendOutcome {
    DELIVERED("ok"),
    BLOCKED("blocked"),
    DEACTIVATED("deactivated"),
    CANT_INITIATE("cant_initiate"),
    OTHER("other");

    public static final int FORBIDDEN = 403;

    private final String code;

    SendOutcome(String code) {
        this.code = code;
    }

    /** The name stored in {@code users.unreachable_reason} and used by the API. */
    public String code() {
        return code;
    }

    /** The class of a failed send, or null when the error says nothing about the user (not a 403). */
    public static SendOutcome ofFailure(int errorCode, String description) {
        if (errorCode != FORBIDDEN) {
            return null;
        }
        if (description == null || description.isBlank()) {
            return BLOCKED;
        }
        String text = description.toLowerCase(Locale.ROOT);
        if (text.contains("blocked by the user")) {
            return BLOCKED;
        }
        if (text.contains("user is deactivated")) {
            return DEACTIVATED;
        }
        if (text.contains("can't initiate conversation") || text.contains("can not initiate conversation")
                || text.contains("cannot initiate conversation")) {
            return CANT_INITIATE;
        }
        return OTHER;
    }
}
