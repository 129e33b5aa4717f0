package dev.tgregistry.users.names;

import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import jakarta.validation.constraints.Positive;
import dev.tgregistry.users.web.ApiErrors;
import dev.tgregistry.users.web.ApiTimes;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

/** Name history: a user's names over time, and who had a username ("who was @x"). */
@Path("/api/users")
@Tag(name = "users")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or wrong API key")
@RolesAllowed(Rights.READ)
public class NameHistoryResource {
    private static final int MAX_USERNAME_LENGTH = 64;

    private final NameHistoryRepository repository;

    public NameHistoryResource(NameHistoryRepository repository) {
        this.repository = repository;
    }

    @GET
    @Path("/{id}/names")
    @Operation(operationId = "getNameHistory", summary = "Every username / name the user has had, with its first and last sighting, oldest first")
    @APIResponse(responseCode = "200", description = "{user_id, names: [{username, first_name, last_name, first_seen_at, last_seen_at, current}]}")
    @APIResponse(responseCode = "400", description = "id is not a positive integer")
    @APIResponse(responseCode = "404", description = "No such user")
    public Uni<UserNames> names(@PathParam("id") @Positive(message = ApiErrors.ID) long userId) {
        return repository.names(userId).map(names -> {
            if (names == null) {
                throw ApiErrors.notFound("user " + userId + " not found");
            }
            return new UserNames(userId, names);
        });
    }

    @GET
    @Path("/lookup")
    @Operation(operationId = "lookupUsername", summary = "Who was @username: every user who had it (case-insensitive), or who had it at a given time")
    @APIResponse(responseCode = "200", description = "Users who had the username, most recently seen with it first")
    @APIResponse(responseCode = "400", description = "username missing or too long, or at not an ISO-8601 time")
    public Uni<List<UsernameHolder>> lookup(
            @Parameter(description = "The username; a leading @ is ignored") @QueryParam("username") String username,
            @Parameter(description = "ISO-8601 time, e.g. 2025-06-01T12:00:00Z: who had it then",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time", examples = "2025-06-01T12:00:00Z")) @QueryParam("at") String at) {
        String name = username == null ? "" : username.strip();
        if (name.startsWith("@")) {
            name = name.substring(1).strip();
        }
        if (name.isEmpty()) {
            throw ApiErrors.badRequest("username is required");
        }
        if (name.length() > MAX_USERNAME_LENGTH) {
            throw ApiErrors.badRequest("username must be at most " + MAX_USERNAME_LENGTH + " characters");
        }
        return repository.holders(name, time("at", at));
    }

    private static Instant time(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return ApiTimes.parse(parameter, value);
    }
}
