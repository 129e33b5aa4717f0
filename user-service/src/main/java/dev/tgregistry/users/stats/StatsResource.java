package dev.tgregistry.users.stats;

import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import dev.tgregistry.users.analytics.DayWindow;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;

@Path("/api/stats")
@Tag(name = "stats")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Rights.READ)
public class StatsResource {
    private final StatsRepository repository;

    public StatsResource(StatsRepository repository) {
        this.repository = repository;
    }

    @GET
    @Operation(operationId = "getStats", summary = "Totals for the dashboard's header; 'today' is the local day in tz")
    @APIResponse(responseCode = "200", description = "{totalUsers, activeBookings, confirmedPayments, freeLessonRegistrations, "
            + "newUsersToday, newUsersLast7Days, usersSeenToday, activeUsers, blockedUsers, "
            + "unreachable_reasons: {blocked, deactivated, cant_initiate, other}}")
    @APIResponse(responseCode = "400", description = "tz is not a known time zone")
    @APIResponse(responseCode = "401", description = "Missing or wrong API key")
    public Uni<Stats> stats(@Parameter(description = "IANA time zone of 'today', e.g. Asia/Tehran, or an offset such as +03:30; default UTC",
                                    schema = @Schema(type = SchemaType.STRING, pattern = DayWindow.TZ_PATTERN, examples = "Asia/Tehran"))
                            @QueryParam("tz") String tz) {
        return repository.counts(LocalDays.of(DayWindow.zone(tz), Instant.now()));
    }
}
