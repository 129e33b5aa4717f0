package dev.tgregistry.users.privacy;

import jakarta.validation.constraints.Positive;
import dev.tgregistry.users.web.ApiErrors;
import dev.tgregistry.users.web.ApiKeyFilter;
import dev.tgregistry.users.web.ApiKeys;
import dev.tgregistry.users.web.KeyRight;
import dev.tgregistry.users.web.Requires;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The right to be forgotten and the right of access: erase or export one person. Both need the erase right. */
@Path("/api/users")
@Tag(name = "users")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or wrong API key")
@APIResponse(responseCode = "403", description = "The key lacks the erase right")
public class PrivacyResource {
    private final PrivacyService privacy;

    public PrivacyResource(PrivacyService privacy) {
        this.privacy = privacy;
    }

    @DELETE
    @Path("/{id}")
    @Requires(KeyRight.ERASE)
    @Operation(operationId = "eraseUser", summary = "Erase the person: names, profile, history and events go; bookings and registrations stay without identifying data; "
            + "records dated before now never come back")
    @APIResponse(responseCode = "200", description = "{user_id, erased_at, deleted: {table: rows}, anonymized: {table: rows}}")
    @APIResponse(responseCode = "400", description = "id is not a positive integer")
    @APIResponse(responseCode = "404", description = "The registry holds nothing of this user (never seen, or already erased)")
    public Uni<Erasure> erase(@PathParam("id") @Positive(message = ApiErrors.ID) long id, @Context ContainerRequestContext request) {
        return privacy.erase(id, callerOf(request));
    }

    @GET
    @Path("/{id}/export")
    @Requires(KeyRight.ERASE)
    @Operation(operationId = "exportUser", summary = "Everything the registry holds about the person, every table's rows, as one JSON document")
    @APIResponse(responseCode = "200", description = "{user_id, exported_at, tables: {table: [rows as stored]}}")
    @APIResponse(responseCode = "400", description = "id is not a positive integer")
    @APIResponse(responseCode = "404", description = "The registry holds nothing of this user")
    public Uni<PersonalDataExport> export(@PathParam("id") @Positive(message = ApiErrors.ID) long id, @Context ContainerRequestContext request) {
        return privacy.export(id, callerOf(request));
    }

    private static String callerOf(ContainerRequestContext request) {
        return ((ApiKeys.Caller) request.getProperty(ApiKeyFilter.CALLER)).keyId();
    }
}
