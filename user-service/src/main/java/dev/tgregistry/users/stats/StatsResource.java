package dev.tgregistry.users.stats;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/stats")
@Tag(name = "stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {
    private final StatsRepository repository;

    public StatsResource(StatsRepository repository) {
        this.repository = repository;
    }

    @GET
    @Operation(summary = "Totals for the dashboard's header")
    @APIResponse(responseCode = "200", description = "{totalUsers, activeBookings, confirmedPayments, freeLessonRegistrations}")
    @APIResponse(responseCode = "401", description = "Missing or wrong API key")
    public Uni<Stats> stats() {
        return repository.counts();
    }
}
