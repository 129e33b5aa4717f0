package dev.tgregistry.ingest.telegram;

import dev.tgregistry.model.JsonErrors;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.model.ContractViolation;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.RecordTimes;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.UserSeen;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one Telegram {@code Update} (Bot API JSON) into the user sightings it carries: the user who acted (the
 * kind's {@code from} or {@code user}, so the rule is generic rather than a list of kinds) and the users the update
 * only mentions (members added or removed by someone else, the author of a replied-to or forwarded message, a
 * booster, the subject of an admin's member change). One sighting per user per update; the user who acted wins.
 * Each sighting says how the user was seen ({@link UserSeen#seenVia()}).
 */
public final class UpdateSightings {
    /** Kinds whose {@code from} is not a person talking to the bot. */
    private static final Set<String> WITHOUT_USER = Set.of("channel_post", "edited_channel_post");
    private static final Set<String> BLOCK_STATUSES = Set.of(UserSeen.MEMBER, UserSeen.KICKED);
    /** Past this, Instant.ofEpochSecond overflows; any such date is implausible anyway. */
    private static final long MAX_EPOCH_SECOND = Instant.MAX.getEpochSecond();
    /**
     * Telegram's stand-ins, never people: 777000 "Telegram" (service messages, channel posts forwarded into a
     * discussion group), 1087968824 "GroupAnonymousBot" (an anonymous group admin), 136817688 "Channel_Bot" (a
     * message sent on behalf of a channel).
     */
    static final Set<Long> PLACEHOLDER_IDS = Set.of(777000L, 1087968824L, 136817688L);
    private static final Set<String> INLINE_KINDS = Set.of("inline_query", "chosen_inline_result");
    private static final Set<String> BUSINESS_KINDS = Set.of("business_message", "edited_business_message");

    private UpdateSightings() {
    }

    /**
     * @param path where the update sits in the request body, used in error messages (e.g. {@code [2]})
     * @throws ContractViolation naming the field when the update is malformed
     */
    public static List<UserSeen> of(JsonNode update, String path, Instant receivedAt) {
        if (!update.isObject()) {
            throw new ContractViolation(path.isEmpty() ? "$" : path, "an update must be a JSON object");
        }
        JsonNode updateId = update.get("update_id");
        if (updateId == null || !updateId.canConvertToLong() || !updateId.isIntegralNumber()) {
            throw new ContractViolation(path + "update_id", "is required and must be an integer");
        }
        Map<Long, UserSeen> byUser = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> members = update.fields();
        while (members.hasNext()) {
            Map.Entry<String, JsonNode> member = members.next();
            String kind = member.getKey();
            JsonNode payload = member.getValue();
            if (kind.equals("update_id") || !payload.isObject()) {
                continue;
            }
            String at = path + kind + ".";
            Found found = new Found(byUser, new UserSeen.Source(updateId.asLong(), kind), seenAt(payload, at, receivedAt));
            if (!WITHOUT_USER.contains(kind) && !payload.has("sender_chat")) {
                String field = payload.has("from") ? "from" : "user";
                JsonNode from = payload.get(field);
                if (from != null && !from.isNull()) {
                    TelegramUser actor = user(from, at + field);
                    if (!PLACEHOLDER_IDS.contains(actor.id())) {
                        found.add(actor, via(kind, payload), blockStatus(kind, payload));
                    }
                }
            }
            mentions(kind, payload, at, found);
        }
        return new ArrayList<>(byUser.values());
    }

    /** The sightings of one update member, keyed by user: the first sighting of a user stays. */
    private record Found(Map<Long, UserSeen> byUser, UserSeen.Source source, Instant seenAt) {
        void add(TelegramUser user, String via, String blockStatus) {
            byUser.putIfAbsent(user.id(), UserSeen.of(user, seenAt, source, blockStatus, via));
        }

        /** A mentioned user: people only (no bots, no Telegram stand-ins). */
        void mention(TelegramUser user) {
            if (!PLACEHOLDER_IDS.contains(user.id()) && !Boolean.TRUE.equals(user.isBot())) {
                add(user, UserSeen.VIA_MENTIONED, null);
            }
        }
    }

    private static void mentions(String kind, JsonNode payload, String at, Found found) {
        switch (kind) {
            case "chat_member" -> mentionUser(payload, at, found, "new_chat_member", "user");
            case "chat_boost" -> mentionUser(payload, at, found, "boost", "source", "user");
            case "removed_chat_boost" -> mentionUser(payload, at, found, "source", "user");
            default -> {
                if (payload.has("message_id") && payload.has("chat")) {
                    messageMentions(payload, at, found);
                }
            }
        }
    }

    /** Users a message names besides its sender. */
    private static void messageMentions(JsonNode message, String at, Found found) {
        JsonNode added = message.get("new_chat_members");
        if (added != null && added.isArray()) {
            for (int i = 0; i < added.size(); i++) {
                found.mention(user(added.get(i), at + "new_chat_members[" + i + "]"));
            }
        }
        mentionUser(message, at, found, "left_chat_member");
        JsonNode replyTo = message.path("reply_to_message");
        if (replyTo.isObject() && !replyTo.has("sender_chat")) {
            mentionUser(message, at, found, "reply_to_message", "from");
        }
        JsonNode origin = message.path("forward_origin");
        if ("user".equals(origin.path("type").asText())) {
            mentionUser(message, at, found, "forward_origin", "sender_user");
        }
        mentionUser(message, at, found, "forward_from"); // before Bot API 7.0
    }

    /** Mentions the user at {@code path} below {@code node}, if there is one. */
    private static void mentionUser(JsonNode node, String at, Found found, String... path) {
        JsonNode user = node;
        for (String field : path) {
            user = user.path(field);
        }
        if (user.isObject()) {
            found.mention(user(user, at + String.join(".", path)));
        }
    }

    /** How the user who acted was seen; see {@link UserSeen#seenVia()}. */
    static String via(String kind, JsonNode payload) {
        if (INLINE_KINDS.contains(kind)) {
            return UserSeen.VIA_INLINE;
        }
        if (BUSINESS_KINDS.contains(kind)) {
            return UserSeen.VIA_BUSINESS;
        }
        if (kind.equals("business_connection")) {
            return UserSeen.VIA_PRIVATE_CHAT; // the account owner who connected the bot; user_chat_id is their chat with it
        }
        JsonNode chat = payload.path("chat");
        if (kind.equals("callback_query")) {
            if (!payload.path("message").isObject()) {
                return UserSeen.VIA_INLINE; // a button under an inline message: no chat given
            }
            chat = payload.path("message").path("chat");
        }
        return switch (chat.path("type").asText("")) {
            case "private" -> UserSeen.VIA_PRIVATE_CHAT;
            case "group", "supergroup" -> UserSeen.VIA_GROUP;
            case "channel" -> UserSeen.VIA_CHANNEL;
            default -> UserSeen.VIA_OTHER;
        };
    }

    private static TelegramUser user(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new ContractViolation(path, "must be a Telegram User object");
        }
        JsonNode id = node.get("id");
        if (id == null || !id.isIntegralNumber()) {
            throw new ContractViolation(path + ".id", "is required and must be an integer");
        }
        TelegramUser user;
        try {
            user = RecordJson.MAPPER.treeToValue(node, TelegramUser.class);
        } catch (JsonProcessingException e) {
            String member = JsonErrors.path(e);
            throw new ContractViolation(member.isEmpty() ? path : path + "." + member, "is not a valid Telegram User: " + JsonErrors.describe(e));
        }
        TelegramUser storable = user.normalised();
        storable.validateAt(path + ".");
        return storable;
    }

    /**
     * The update's own time: an edit's {@code edit_date}, else {@code date}, else when we received it. Telegram
     * retries a refused update forever, so a number that is no Unix time (0 for an inaccessible message, negative,
     * a fraction), before 2013 or ahead of our clock (see {@link RecordTimes}) becomes the receive time, whole
     * seconds like Telegram's dates: a sub-second receive time would make the user's real update of that second look
     * older.
     */
    private static Instant seenAt(JsonNode payload, String path, Instant receivedAt) {
        Instant received = receivedAt.truncatedTo(ChronoUnit.SECONDS);
        for (String field : List.of("edit_date", "date")) {
            JsonNode value = payload.get(field);
            if (value != null && !value.isNull()) {
                if (!value.isNumber()) {
                    throw new ContractViolation(path + field, "must be a Unix time in seconds");
                }
                if (!value.isIntegralNumber() || value.asLong() <= 0) {
                    return received;
                }
                return RecordTimes.plausibleOr(Instant.ofEpochSecond(Math.min(value.asLong(), MAX_EPOCH_SECOND)), received);
            }
        }
        return received;
    }

    /** A private-chat my_chat_member change to kicked/member is the user blocking/unblocking the bot. */
    private static String blockStatus(String kind, JsonNode payload) {
        if (!kind.equals("my_chat_member") || !"private".equals(payload.path("chat").path("type").asText())) {
            return null;
        }
        String status = payload.path("new_chat_member").path("status").asText(null);
        return BLOCK_STATUSES.contains(status) ? status : null;
    }
}
