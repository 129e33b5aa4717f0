package dev.tgregistry.users.booking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.users.web.ApiErrors;
import dev.tgregistry.users.web.Rights;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The original dashboard's stream move (docs/ORIGINAL-DASHBOARD.md): a booking edit of {@code course_stream} alone. */
@Path("/api/users")
@Tag(name = "streams")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or wrong API key")
@RolesAllowed(Rights.WRITE)
public class StreamMoveResource {
    private final BookingEditService editing;
    private final SecurityIdentity caller;

    public StreamMoveResource(BookingEditService editing, SecurityIdentity caller) {
        this.editing = editing;
        this.caller = caller;
    }

    @PATCH
    @Path("/{id}/stream")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "moveUserStream", summary = "Move the user's latest non-cancelled booking to another stream. Body: {\"stream\": \"5th_stream\"} "
            + "(the original dashboard's {\"newStream\": ...} is accepted too). The edit sticks: see docs/DESIGN.md")
    @APIResponse(responseCode = "200", description = "The booking moved")
    @APIResponse(responseCode = "400", description = "Bad id or stream, no active booking, or already in that stream")
    @APIResponse(responseCode = "403", description = "The API key lacks the write right")
    public Uni<StreamChange> move(@PathParam("id") @Positive(message = ApiErrors.ID) long id,
                                  @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                          schema = @Schema(implementation = StreamMoveRequest.class))) JsonNode body) {
        JsonNode stream = body == null ? null : body.hasNonNull("stream") ? body.get("stream") : body.get("newStream");
        if (stream == null || !stream.isTextual()) {
            throw ApiErrors.badRequest("stream is required in the body: {\"stream\": \"<stream>\"} (or {\"newStream\": \"<stream>\"})");
        }
        return editing.moveStream(id, stream.asText().strip(), caller.getPrincipal().getName());
    }
}
