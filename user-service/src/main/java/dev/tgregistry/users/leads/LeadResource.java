package dev.tgregistry.users.leads;

import dev.tgregistry.users.audience.Csv;
import dev.tgregistry.users.audience.CsvExport;
import dev.tgregistry.users.audience.CsvPageSize;
import dev.tgregistry.users.web.ApiErrors;
import io.vertx.core.buffer.Buffer;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestResponse;
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
public class LeadResource {
    private final LeadService leads;

    private final CsvPageSize csvPage;

    public LeadResource(LeadService leads, CsvPageSize csvPage) {
        this.leads = leads;
        this.csvPage = csvPage;
    }

    @GET
    @Operation(summary = "Lead scoring of users with a free-lesson registration over the last `days` days, keyset-paginated: "
            + "the next page's cursor is in the X-Next-Cursor header (absent on the last page); ?format=csv or "
            + "Accept: text/csv streams all of them as CSV")
    @APIResponse(responseCode = "200", description = "Leads by total_events desc, last_activity desc, user id")
    @APIResponse(responseCode = "400", description = "days, limit, score or cursor invalid")
    @APIResponse(responseCode = "401", description = "Missing or wrong API key")
    public Uni<RestResponse<List<LeadActivity>>> leads(
            @Parameter(description = "1..90, default 7") @QueryParam("days") String days,
            @Parameter(description = "page size 1..1000, default 100") @QueryParam("limit") String limit,
            @Parameter(description = "hot, warm, cool or cold") @QueryParam("score") String score,
            @Parameter(description = "X-Next-Cursor of the previous page") @QueryParam("cursor") String cursor) {
        int window = window(days);
        String scoreFilter = scoreFilter(score);
        int pageSize = ApiErrors.intInRange("limit", limit, 100, 1, 1000);
        String path = "/api/user-activity?days=" + window + (scoreFilter == null ? "" : "&score=" + scoreFilter);
        return leads.leads(window, scoreFilter, pageSize, cursor).map(page -> page.asArrayResponse(path, pageSize));
    }

    @GET
    @Produces(Csv.MEDIA_TYPE)
    @Operation(summary = "Every lead (of a score, if given) as CSV (streamed), in the JSON list's order")
    public RestMulti<Buffer> leadsCsv(@QueryParam("days") String days, @QueryParam("score") String score) {
        record Query(int days, String score) {
        }
        return CsvExport.stream(Uni.createFrom().item(() -> new Query(window(days), scoreFilter(score))),
                List.of("user_id", "username", "first_name", "display_name", "email", "total_events", "active_days",
                        "last_activity", "lead_score"),
                (query, cursor) -> leads.leads(query.days(), query.score(), csvPage.rows(), cursor),
                lead -> Arrays.asList(lead.userId(), lead.username(), lead.firstName(), lead.displayName(), lead.email(),
                        lead.totalEvents(), lead.activeDays(), lead.lastActivity(), lead.leadScore()),
                "leads.csv");
    }

    private static int window(String days) {
        return ApiErrors.intInRange("days", days, 7, 1, 90);
    }

    private static String scoreFilter(String score) {
        String scoreFilter = score == null || score.isBlank() ? null : score.strip().toLowerCase(java.util.Locale.ROOT);
        if (scoreFilter != null && Arrays.stream(LeadScore.values()).noneMatch(s -> s.label().equals(scoreFilter))) {
            throw ApiErrors.badRequest("score must be one of hot, warm, cool, cold");
        }
        return scoreFilter;
    }
}
