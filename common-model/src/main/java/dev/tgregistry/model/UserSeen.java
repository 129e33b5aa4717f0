package dev.tgregistry.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/**
 * Topic {@value Topics#USER_SEEN}: one sighting of a user.
 *
 * @param chatMemberStatus {@code member} or {@code kicked} when the sighting is a private-chat
 *                         {@code my_chat_member} change (unblock / block); otherwise null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserSeen(
        Integer schemaVersion,
        TelegramUser user,
        Instant seenAt,
        Source source,
        String chatMemberStatus) implements RegistryRecord {

    public static final String MEMBER = "member";
    public static final String KICKED = "kicked";

    /** Where the sighting came from: a Telegram update (id and kind, e.g. {@code message}) or a bot event. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Source(Long updateId, String kind) {
    }

    public static UserSeen of(TelegramUser user, Instant seenAt, Source source, String chatMemberStatus) {
        return new UserSeen(SCHEMA_VERSION, user, seenAt, source, chatMemberStatus);
    }

    @Override
    public String key() {
        return Long.toString(user.id());
    }

    @Override
    public void validate() {
        Checks.schemaVersion(schemaVersion);
        Checks.notNull("user", user);
        user.validateAt("user.");
        Checks.notNull("seen_at", seenAt);
        RecordTimes.check("seen_at", seenAt);
        if (chatMemberStatus != null && !MEMBER.equals(chatMemberStatus) && !KICKED.equals(chatMemberStatus)) {
            throw new ContractViolation("chat_member_status", "must be member or kicked");
        }
    }
}
