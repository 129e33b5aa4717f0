package dev.tgregistry.ingest.relay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.ingest.telegram.UpdateSightings;
import dev.tgregistry.ingest.web.RequestBody;
import dev.tgregistry.model.ContractViolation;
import dev.tgregistry.model.UserSeen;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * What the relay reads of a Telegram delivery before passing it on. Telegram posts one Update object per request:
 * a body that is no JSON, an array or an object without an integer {@code update_id} is no delivery of Telegram's
 * (400, not forwarded). Any other object goes to the bot even when its users cannot be read (a field of a shape the
 * registry refuses): the bot's behaviour must not depend on the registry; that update then yields no sighting.
 */
record RelayedUpdate(List<UserSeen> sightings, boolean unreadable) {
    private static final Logger LOG = Logger.getLogger(RelayedUpdate.class);

    static RelayedUpdate read(byte[] body, Instant receivedAt) {
        List<RequestBody.Item> items = RequestBody.items(body);
        if (items.size() != 1 || !items.get(0).path().isEmpty()) {
            throw new ContractViolation("$", "relay mode takes one Telegram Update object per request, as Telegram's webhook sends it");
        }
        JsonNode update = items.get(0).json();
        if (!update.isObject()) {
            throw new ContractViolation("$", "an update must be a JSON object");
        }
        JsonNode updateId = update.get("update_id");
        if (updateId == null || !updateId.isIntegralNumber() || !updateId.canConvertToLong()) {
            throw new ContractViolation("update_id", "is required and must be an integer");
        }
        try {
            return new RelayedUpdate(UpdateSightings.of(update, "", receivedAt), false);
        } catch (ContractViolation unreadable) {
            // the field path and rule only (no value) even at DEBUG: the message may not quote personal data
            LOG.debugf("relayed update %d without sightings: %s", updateId.asLong(), unreadable.getMessage());
            return new RelayedUpdate(List.of(), true);
        }
    }
}
