package dev.tgregistry.users.privacy;

import io.quarkus.security.identity.SecurityIdentity;
import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Positive;
import dev.tgregistry.users.web.ApiErrors;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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
@RolesAllowed(Rights.READ)
public class PrivacyResource {
    private final PrivacyService privacy;
    private final SecurityIdentity caller;

    public PrivacyResource(PrivacyService privacy, SecurityIdentity caller) {
        this.privacy = privacy;
        this.caller = caller;
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Rights.ERASE)
    @Operation(operationId = "eraseUser", summary = "Erase the person: names, profile, history and events go; bookings and registrations stay without identifying data; "
            + "records dated before now never come back")
    @APIResponse(responseCode = "200", description = "{user_id, erased_at, deleted: {table: rows}, anonymized: {table: rows}}")
    @APIResponse(responseCode = "400", description = "id is not a positive integer")
    @APIResponse(responseCode = "404", description = "The registry holds nothing of this user (never seen, or already erased)")
    public Uni<Erasure> erase(@PathParam("id") @Positive(message = ApiErrors.ID) long id) {
        return privacy.erase(id, caller.getPrincipal().getName());
    }

    @GET
    @Path("/{id}/export")
    @RolesAllowed(Rights.ERASE)
    @Operation(operationId = "exportUser", summary = "Everything the registry holds about the person, every table's rows, as one JSON document")
    @APIResponse(responseCode = "200", description = "{user_id, exported_at, tables: {table: [rows as stored]}}")
    @APIResponse(responseCode = "400", description = "id is not a positive integer")
    @APIResponse(responseCode = "404", description = "The registry holds nothing of this user")
    public Uni<PersonalDataExport> export(@PathParam("id") @Positive(message = ApiErrors.ID) long id) {
        return privacy.export(id, caller.getPrincipal().getName());
    }
}
