package dev.tgregistry.ingest.telegram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.model.ContractViolation;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.RecordTimes;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.UserSeen;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one Telegram {@code Update} (Bot API JSON) into the user sightings it carries.
 * An update holds {@code update_id} plus one member naming its kind; the user of almost every kind
 * is that member's {@code from} (or {@code user}), so the rule is generic rather than a list of kinds.
 */
public final class UpdateSightings {
    /** Kinds whose {@code from} is not a person talking to the bot. */
    private static final Set<String> WITHOUT_USER = Set.of("channel_post", "edited_channel_post");
    private static final Set<String> BLOCK_STATUSES = Set.of(UserSeen.MEMBER, UserSeen.KICKED);
    /** Past this, Instant.ofEpochSecond overflows; any such date is implausible anyway. */
    private static final long MAX_EPOCH_SECOND = Instant.MAX.getEpochSecond();

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
        List<UserSeen> sightings = new ArrayList<>(1);
        Iterator<Map.Entry<String, JsonNode>> members = update.fields();
        while (members.hasNext()) {
            Map.Entry<String, JsonNode> member = members.next();
            String kind = member.getKey();
            JsonNode payload = member.getValue();
            if (kind.equals("update_id") || !payload.isObject() || WITHOUT_USER.contains(kind)) {
                continue;
            }
            String at = path + kind + ".";
            UserSeen.Source source = new UserSeen.Source(updateId.asLong(), kind);
            Instant seenAt = seenAt(payload, at, receivedAt);
            JsonNode from = payload.has("from") ? payload.get("from") : payload.get("user");
            if (from != null && !from.isNull()) {
                String fromPath = at + (payload.has("from") ? "from" : "user");
                sightings.add(UserSeen.of(user(from, fromPath), seenAt, source, blockStatus(kind, payload)));
            }
            if (kind.equals("chat_member")) {
                // the member whose status changed may differ from the admin who changed it
                JsonNode member2 = payload.path("new_chat_member").path("user");
                if (member2.isObject()) {
                    TelegramUser subject = user(member2, at + "new_chat_member.user");
                    boolean sameAsFrom = !sightings.isEmpty() && sightings.get(sightings.size() - 1).user().id().equals(subject.id());
                    if (!sameAsFrom) {
                        sightings.add(UserSeen.of(subject, seenAt, source, null));
                    }
                }
            }
        }
        return sightings;
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
            throw new ContractViolation(path, "is not a valid Telegram User: " + e.getOriginalMessage());
        }
        TelegramUser storable = user.normalised();
        storable.validateAt(path + ".");
        return storable;
    }

    /**
     * The update's own time: an edit's {@code edit_date}, else {@code date}, else when we received it; a date before
     * 2013 or ahead of our clock (see {@link RecordTimes}) is replaced by the receive time.
     */
    private static Instant seenAt(JsonNode payload, String path, Instant receivedAt) {
        for (String field : List.of("edit_date", "date")) {
            JsonNode value = payload.get(field);
            if (value != null && !value.isNull()) {
                if (!value.isIntegralNumber() || value.asLong() <= 0) {
                    throw new ContractViolation(path + field, "must be a Unix time in seconds");
                }
                // Telegram retries a refused update forever: an implausible date becomes the receive time
                return RecordTimes.plausibleOr(Instant.ofEpochSecond(Math.min(value.asLong(), MAX_EPOCH_SECOND)), receivedAt);
            }
        }
        return receivedAt;
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
