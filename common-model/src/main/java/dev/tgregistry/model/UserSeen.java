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
 * @param seenVia          how the user was seen, one of the {@code VIA_*} values; only {@value #VIA_PRIVATE_CHAT}
 *                         shows that the user has a private chat with the bot (can be sent a direct message).
 *                         Null in records written before the field existed ("not said"); a value this build does
 *                         not know is accepted and treated like any other indirect sighting.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserSeen(
        Integer schemaVersion,
        TelegramUser user,
        Instant seenAt,
        Source source,
        String chatMemberStatus,
        String seenVia) implements RegistryRecord {

    public static final String MEMBER = "member";
    public static final String KICKED = "kicked";

    /** The user acted in their private chat with the bot (message, button, reaction, started/blocked the bot). */
    public static final String VIA_PRIVATE_CHAT = "private_chat";
    /** The user acted in a group or supergroup the bot is in. */
    public static final String VIA_GROUP = "group";
    /** The user acted in a channel (reaction, membership change). */
    public static final String VIA_CHANNEL = "channel";
    /** Inline mode: an inline query, a chosen inline result, a button under an inline message. */
    public static final String VIA_INLINE = "inline";
    /** A chat of a business account the bot manages: the user talked to the business, not to the bot. */
    public static final String VIA_BUSINESS = "business";
    /** The user acted towards the bot, but the update names no chat (payments, poll answers, ...). */
    public static final String VIA_OTHER = "other";
    /**
     * The user did not act: they appear inside someone else's update (a member added or removed by another user,
     * the author of a replied-to or forwarded message, a booster, the subject of an admin's member change).
     */
    public static final String VIA_MENTIONED = "mentioned";
    /** The bot's own record (an event with a user snapshot) named the user. */
    public static final String VIA_BOT_RECORD = "bot_record";

    static final int MAX_SEEN_VIA = 32;

    /** Where the sighting came from: a Telegram update (id and kind, e.g. {@code message}) or a bot event. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Source(Long updateId, String kind) {
    }

    public static UserSeen of(TelegramUser user, Instant seenAt, Source source, String chatMemberStatus) {
        return of(user, seenAt, source, chatMemberStatus, null);
    }

    public static UserSeen of(TelegramUser user, Instant seenAt, Source source, String chatMemberStatus, String seenVia) {
        return new UserSeen(SCHEMA_VERSION, user, seenAt, source, chatMemberStatus, seenVia);
    }

    /** Whether this sighting shows that the bot can send the user a direct message (a private chat exists). */
    public boolean inPrivateChat() {
        return VIA_PRIVATE_CHAT.equals(seenVia);
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
        Checks.maxLength("seen_via", seenVia, MAX_SEEN_VIA);
    }
}
