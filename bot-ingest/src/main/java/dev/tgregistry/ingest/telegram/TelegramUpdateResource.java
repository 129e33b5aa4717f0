package dev.tgregistry.ingest.telegram;

import dev.tgregistry.ingest.publish.RecordPublisher;
import dev.tgregistry.ingest.relay.RelayWarmUp;
import dev.tgregistry.ingest.relay.WebhookRelay;
import dev.tgregistry.ingest.web.Accepted;
import dev.tgregistry.ingest.web.RequestBody;
import dev.tgregistry.model.Topics;
import dev.tgregistry.model.UserSeen;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

@Path("/telegram/updates")
@Tag(name = "telegram")
public class TelegramUpdateResource {
    private final RecordPublisher publisher;
    private final WebhookRelay relay;

    public TelegramUpdateResource(RecordPublisher publisher, WebhookRelay relay) {
        this.publisher = publisher;
        this.relay = relay;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "postTelegramUpdates", summary = "Accept one Telegram Update or an array of them; publishes a user sighting per user found",
            description = "In relay mode (APP_RELAY_TARGET_URL set) Telegram's webhook points here: one Update per request,"
                    + " forwarded unchanged to the bot's webhook, whose answer is returned as it is; the sightings reach"
                    + " Kafka off the bot's path.")
    @APIResponse(responseCode = "202", description = "Kafka acknowledged every sighting",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON or a field of the wrong type")
    @APIResponse(responseCode = "401", description = "Missing or wrong secret header")
    @APIResponse(responseCode = "413", description = "Body over 1 MiB")
    @APIResponse(responseCode = "503", description = "Kafka unavailable; retry")
    @APIResponse(responseCode = "200", description = "Relay mode (APP_RELAY_TARGET_URL): the bot's own answer, status,"
            + " content type and body as the bot's webhook gave them (any status the bot answers is passed on)")
    @APIResponse(responseCode = "502", description = "Relay mode: the bot's webhook could not be reached; Telegram retries")
    @APIResponse(responseCode = "504", description = "Relay mode: the bot's webhook did not answer in time; Telegram retries")
    public Uni<Response> receive(byte[] body, @Context HttpHeaders headers) {
        if (relay.enabled()) {
            return relay.relay(body, headers.getHeaderString(RelayWarmUp.HEADER));
        }
        Instant receivedAt = Instant.now();
        List<UserSeen> sightings = new ArrayList<>();
        for (RequestBody.Item update : RequestBody.items(body)) {
            sightings.addAll(UpdateSightings.of(update.json(), update.path(), receivedAt));
        }
        return publisher.publish(Topics.USER_SEEN, sightings).map(Accepted::response);
    }
}
