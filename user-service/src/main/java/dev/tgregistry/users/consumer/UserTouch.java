package dev.tgregistry.users.consumer;

import java.time.Instant;

/**
 * What a bot event, booking or registration says about its user: they exist and were seen at {@code at};
 * the names the bot copied (used only while no Telegram snapshot exists). A failed send a bot event reports is
 * applied separately ({@code reachability/ReachabilityWriter}).
 */
public record UserTouch(long userId, Instant at, String username, String firstName) {

    public UserTouch {
        username = blankToNull(username);
        firstName = blankToNull(firstName);
    }

    boolean hasNames() {
        return username != null || firstName != null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
