package dev.tgregistry.users.adoption;

import dev.tgregistry.users.edits.Editor;
import dev.tgregistry.users.web.KeyRight;
import dev.tgregistry.users.web.Requires;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Operators' view of an adoption (README "Adopting a running bot's database") and its finish. Needs the admin right. */
@Path("/api/admin/adoption")
@Tag(name = "operations")
@Produces(MediaType.APPLICATION_JSON)
public class AdoptionResource {
    private final AdoptionService adoption;

    public AdoptionResource(AdoptionService adoption) {
        this.adoption = adoption;
    }

    /** Each adopted table with the bot's writes into it since adoption and the time of the last one. */
    @GET
    @Requires(KeyRight.ADMIN)
    @Operation(operationId = "getAdoption", summary = "Adopted bot tables, the bot's writes into each (count, last time) and the writes still queued")
    public Uni<AdoptionStatus> status() {
        return adoption.status();
    }

    public record Finished(List<String> finished) {
    }

    @POST
    @Path("/finish")
    @Requires(KeyRight.ADMIN)
    @Operation(operationId = "finishAdoption", summary = "Remove the compatibility layer (capture triggers, profile write-back); "
            + "409 while the bot wrote its tables within the quiet period, unless force=true (audited)")
    public Uni<Finished> finish(@QueryParam("force") @DefaultValue("false") boolean force, @Context ContainerRequestContext request) {
        return adoption.finish(force, Editor.keyId(request)).map(Finished::new);
    }
}
