package dev.tgregistry.users.activity;

import dev.tgregistry.users.web.ApiErrors;
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

import java.util.Arrays;
import java.util.List;

@Path("/api/user-activity")
@Tag(name = "lead scoring")
@Produces(MediaType.APPLICATION_JSON)
public class ActivityResource {
    private final ActivityRepository repository;

    public ActivityResource(ActivityRepository repository) {
        this.repository = repository;
    }

    @GET
    @Operation(summary = "Lead scoring of users with a free-lesson registration over the last `days` days")
    @APIResponse(responseCode = "200", description = "Leads by total_events desc, last_activity desc, user id")
    @APIResponse(responseCode = "400", description = "days, limit or score out of range")
    @APIResponse(responseCode = "401", description = "Missing or wrong API key")
    public Uni<List<LeadActivity>> leads(
            @Parameter(description = "1..90, default 7") @QueryParam("days") String days,
            @Parameter(description = "1..1000, default 100") @QueryParam("limit") String limit,
            @Parameter(description = "hot, warm, cool or cold") @QueryParam("score") String score) {
        int window = ApiErrors.intInRange("days", days, 7, 1, 90);
        int pageSize = ApiErrors.intInRange("limit", limit, 100, 1, 1000);
        String scoreFilter = score == null || score.isBlank() ? null : score.strip().toLowerCase(java.util.Locale.ROOT);
        if (scoreFilter != null && Arrays.stream(LeadScore.values()).noneMatch(s -> s.label().equals(scoreFilter))) {
            throw ApiErrors.badRequest("score must be one of hot, warm, cool, cold");
        }
        return repository.leads(window, scoreFilter, pageSize);
    }
}
