package dev.tgregistry.users.leads;

import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
import dev.tgregistry.users.audience.AudiencePage;
import dev.tgregistry.users.audience.AudienceDocs;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import jakarta.ws.rs.DefaultValue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
@RolesAllowed(Rights.READ)
public class LeadResource {
    private static final String DAYS_RANGE = "days must be between 1 and 90";
    private static final String LIMIT_RANGE = "limit must be between 1 and 1000";

    private final LeadService leads;

    private final CsvPageSize csvPage;

    public LeadResource(LeadService leads, CsvPageSize csvPage) {
        this.leads = leads;
        this.csvPage = csvPage;
    }

    @GET
    @Operation(operationId = "listLeads", summary = "Lead scoring of users with a free-lesson registration over the last `days` days, keyset-paginated: "
            + "the next page's cursor is in the X-Next-Cursor header (absent on the last page); ?format=csv or "
            + "Accept: text/csv streams all of them as CSV")
    @Parameter(name = "format", in = ParameterIn.QUERY, description = AudienceDocs.FORMAT,
            schema = @Schema(type = SchemaType.STRING, enumeration = {"json", "csv"}))
    @APIResponse(responseCode = "200", description = "Leads by total_events desc, last_activity desc, user id",
            headers = {@Header(name = AudiencePage.NEXT_CURSOR_HEADER, description = AudienceDocs.NEXT_CURSOR,
                    schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Link", description = AudienceDocs.LINK, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Content-Disposition", description = AudienceDocs.CSV_DOWNLOAD, schema = @Schema(type = SchemaType.STRING))},
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = LeadActivity.class)),
                    @Content(mediaType = Csv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING, description = AudienceDocs.CSV))})
    @APIResponse(responseCode = "400", description = "days, limit, score or cursor invalid")
    @APIResponse(responseCode = "401", description = "Missing or wrong API key")
    public Uni<RestResponse<List<LeadActivity>>> leads(
            @QueryParam("days") @DefaultValue("7") @Min(value = 1, message = DAYS_RANGE) @Max(value = 90, message = DAYS_RANGE) int days,
            @QueryParam("limit") @DefaultValue("100") @Min(value = 1, message = LIMIT_RANGE)
            @Max(value = 1000, message = LIMIT_RANGE) int limit,
            @Parameter(description = "Only leads of this score", schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"hot", "warm", "cool", "cold"})) @QueryParam("score") String score,
            @Parameter(description = "X-Next-Cursor of the previous page") @QueryParam("cursor") String cursor) {
        String scoreFilter = scoreFilter(score);
        String path = "/api/user-activity?days=" + days + (scoreFilter == null ? "" : "&score=" + scoreFilter);
        return leads.leads(days, scoreFilter, limit, cursor).map(page -> page.asArrayResponse(path, limit));
    }

    @GET
    @Produces(Csv.MEDIA_TYPE)
    @Operation(hidden = true, summary = "Every lead (of a score, if given) as CSV (streamed), in the JSON list's order")
    public RestMulti<Buffer> leadsCsv(@QueryParam("days") @DefaultValue("7") @Min(value = 1, message = DAYS_RANGE)
                                      @Max(value = 90, message = DAYS_RANGE) int days, @QueryParam("score") String score) {
        record Query(int days, String score) {
        }
        return CsvExport.stream(Uni.createFrom().item(() -> new Query(days, scoreFilter(score))),
                List.of("user_id", "username", "first_name", "display_name", "email", "total_events", "active_days",
                        "last_activity", "lead_score", "is_active", "reachable_by_dm"),
                (query, cursor) -> leads.leads(query.days(), query.score(), csvPage.rows(), cursor),
                lead -> Arrays.asList(lead.userId(), lead.username(), lead.firstName(), lead.displayName(), lead.email(),
                        lead.totalEvents(), lead.activeDays(), lead.lastActivity(), lead.leadScore(),
                        lead.isActive(), lead.reachableByDm()),
                "leads.csv");
    }

    private static String scoreFilter(String score) {
        String scoreFilter = score == null || score.isBlank() ? null : score.strip().toLowerCase(java.util.Locale.ROOT);
        if (scoreFilter != null && Arrays.stream(LeadScore.values()).noneMatch(s -> s.label().equals(scoreFilter))) {
            throw ApiErrors.badRequest("score must be one of hot, warm, cool, cold");
        }
        return scoreFilter;
    }
}
