package dev.tgregistry.users.reachability;

import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;

/** Where a sender that is not a bot (the dashboard's broadcasts) reports what Telegram answered. */
@Path("/api/users/send-results")
@Tag(name = "users")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or wrong API key")
@RolesAllowed(Rights.READ)
public class SendResultResource {
    private final SendResultService service;

    public SendResultResource(SendResultService service) {
        this.service = service;
    }

    @POST
    @RolesAllowed(Rights.WRITE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "reportSendResults", summary = "Report what Telegram answered to messages sent outside the bots "
            + "(the dashboard's broadcasts): a 403 marks the user blocked, deactivated or not reachable by DM exactly as "
            + "a bot's report does, a delivery ends an earlier block or failure. Never creates a user. See docs/API.md")
    @APIResponse(responseCode = "200", description = "{received, changed, ignored, unknown_user_ids}")
    @APIResponse(responseCode = "400", description = "results missing, empty, over 10,000, or an item with a bad user_id, at, ok, "
            + "error_code or description (the message names it)")
    @APIResponse(responseCode = "403", description = "The API key lacks the write right")
    public Uni<SendResultsReport> report(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SendResultsRequest.class))) JsonNode body) {
        return service.record(SendResults.parse(body, Instant.now()));
    }
}
