package dev.tgregistry.users.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.users.edits.Editor;
import dev.tgregistry.users.web.ApiErrors;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import dev.tgregistry.users.web.KeyRight;
import dev.tgregistry.users.web.Requires;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/users")
@Tag(name = "streams")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or wrong API key")
public class StreamResource {
    private final StreamService streams;

    public StreamResource(StreamService streams) {
        this.streams = streams;
    }

    @GET
    @Path("/by-stream")
    @Operation(summary = "Confirmed students (booking confirmed = 2) of a course stream, one row per user, by user id")
    @APIResponse(responseCode = "200", description = "Students")
    @APIResponse(responseCode = "400", description = "Stream missing, or not a valid stream (the message lists the valid ones)")
    public Uni<List<StreamStudent>> byStream(@QueryParam("stream") String stream) {
        return streams.confirmedStudents(stream == null ? null : stream.strip());
    }

    @PATCH
    @Path("/{id}/stream")
    @Requires(KeyRight.WRITE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move the user's latest non-cancelled booking to another stream. Body: {\"stream\": \"5th_stream\"} "
            + "(the original dashboard's {\"newStream\": ...} is accepted too). The edit sticks: see docs/DESIGN.md")
    @APIResponse(responseCode = "200", description = "The booking moved")
    @APIResponse(responseCode = "400", description = "Bad id or stream, no active booking, or already in that stream")
    @APIResponse(responseCode = "403", description = "The API key lacks the write right")
    public Uni<StreamChange> move(@PathParam("id") String id, JsonNode body, @Context ContainerRequestContext request) {
        long userId = ApiErrors.userId("id", id);
        JsonNode stream = body == null ? null : body.hasNonNull("stream") ? body.get("stream") : body.get("newStream");
        if (stream == null || !stream.isTextual()) {
            throw ApiErrors.badRequest("stream is required in the body: {\"stream\": \"<stream>\"} (or {\"newStream\": \"<stream>\"})");
        }
        return streams.move(userId, stream.asText().strip(), Editor.keyId(request));
    }
}
