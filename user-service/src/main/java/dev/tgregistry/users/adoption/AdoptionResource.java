package dev.tgregistry.users.adoption;

import io.quarkus.security.identity.SecurityIdentity;
import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Operators' view of an adoption (README "Adopting a running bot's database") and its finish. Needs the admin right. */
@Path("/api/admin/adoption")
@Tag(name = "operations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Rights.READ)
public class AdoptionResource {
    private final AdoptionService adoption;
    private final SecurityIdentity caller;

    public AdoptionResource(AdoptionService adoption, SecurityIdentity caller) {
        this.adoption = adoption;
        this.caller = caller;
    }

    /** Each adopted table with the bot's writes into it since adoption and the time of the last one. */
    @GET
    @RolesAllowed(Rights.ADMIN)
    @Operation(operationId = "getAdoption", summary = "Adopted bot tables, the bot's writes into each (count, last time) and the writes still queued")
    public Uni<AdoptionStatus> status() {
        return adoption.status();
    }

    public record Finished(List<String> finished) {
    }

    @POST
    @Path("/finish")
    @RolesAllowed(Rights.ADMIN)
    @Operation(operationId = "finishAdoption", summary = "Remove the compatibility layer (capture triggers, profile write-back); "
            + "409 while the bot wrote its tables within the quiet period, unless force=true (audited)")
    public Uni<Finished> finish(@QueryParam("force") @DefaultValue("false") boolean force) {
        return adoption.finish(force, caller.getPrincipal().getName()).map(Finished::new);
    }
}
