package dev.tgregistry.users.deadletter;

import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import dev.tgregistry.model.Topics;
import dev.tgregistry.users.web.ApiErrors;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** SRE tool: re-publish a topic's dead letters to it once the cause is fixed. Needs the admin right. */
@Path("/api/admin/dead-letters")
@Tag(name = "operations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Rights.READ)
public class DeadLetterResource {
    private static final String LIMIT_RANGE = "limit must be between 1 and 1000000";

    private final DeadLetterReplay replay;

    public DeadLetterResource(DeadLetterReplay replay) {
        this.replay = replay;
    }

    @POST
    @Path("/{topic}/replay")
    @RolesAllowed(Rights.ADMIN)
    @Operation(operationId = "replayDeadLetters", summary = "Re-publish the dead letters of a record topic (not replayed before) to the topic; at most `limit` (default 10,000)")
    public DeadLetterReplay.Result replay(@PathParam("topic") String topic,
                                          @QueryParam("limit") @DefaultValue("10000") @Min(value = 1, message = LIMIT_RANGE)
                                          @Max(value = 1_000_000, message = LIMIT_RANGE) int limit) {
        if (!Topics.ALL.contains(topic)) {
            throw ApiErrors.badRequest("topic must be one of " + Topics.ALL);
        }
        return replay.replay(topic, limit);
    }
}
