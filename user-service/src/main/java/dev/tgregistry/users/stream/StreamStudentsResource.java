package dev.tgregistry.users.stream;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/stream-students")
@Tag(name = "streams")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or wrong API key")
public class StreamStudentsResource {
    private final StreamService streams;

    public StreamStudentsResource(StreamService streams) {
        this.streams = streams;
    }

    @GET
    @Operation(summary = "Everyone with a booking in the stream (any status, newest booking), plus, for the configured campaign "
            + "stream, program viewers without a booking there; newest first")
    @APIResponse(responseCode = "200", description = "{stream, total, students}")
    @APIResponse(responseCode = "400", description = "Stream missing, or not a valid stream (the message lists the valid ones)")
    public Uni<StreamRoster> students(@QueryParam("stream") String stream) {
        return streams.roster(stream == null ? null : stream.strip());
    }
}
