package dev.tgregistry.users.events;

import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import dev.tgregistry.users.analytics.TopEvent;
import dev.tgregistry.users.analytics.DailyStat;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import jakarta.ws.rs.DefaultValue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import dev.tgregistry.users.analytics.AnalyticsResource;
import dev.tgregistry.users.analytics.AnalyticsService;
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

import java.util.List;

@Path("/api/events")
@Tag(name = "events")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Rights.READ)
public class EventResource {
    /** The first window looked at; widened tenfold while a few chatty users leave the page short. */
    static final int FIRST_WINDOW = 2_000;
    static final int MAX_WINDOW = 2_000_000;
    private static final String LIMIT_RANGE = "limit must be between 1 and 200";

    private final EventRepository repository;
    private final AnalyticsService analytics;

    public EventResource(EventRepository repository, AnalyticsService analytics) {
        this.repository = repository;
        this.analytics = analytics;
    }

    @GET
    @Operation(operationId = "listEvents", summary = "type=recent: at most the 2 newest events per user, then the newest `limit` overall, with names; "
            + "type=daily: per day (days + 1 days, newest first) users first seen, bookings created and events; "
            + "any other or no type: the 10 most frequent event types of all time")
    @APIResponse(responseCode = "200", description = "recent: [{id, user_id, ..., created_at, details}]; "
            + "daily: [{date, newUsers, bookings, events}]; otherwise [{eventType, count}]",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(anyOf = {RecentEvent[].class, DailyStat[].class, TopEvent[].class})))
    @APIResponse(responseCode = "400", description = "limit not 1..200 (recent); days not 1..365, tz not a time zone or end not a date (daily)")
    @APIResponse(responseCode = "401", description = "Missing or wrong API key")
    public Uni<? extends List<?>> events(
            @Parameter(description = "recent, daily, or anything else / absent for the top event types (an open set: no enumeration)")
            @QueryParam("type") @Schema(examples = {"recent", "daily"}) String type,
            @Parameter(description = "recent only") @QueryParam("limit") @DefaultValue("30")
            @Min(value = 1, message = LIMIT_RANGE) @Max(value = 200, message = LIMIT_RANGE) int limit,
            @Parameter(description = "daily only") @QueryParam("days") @DefaultValue("30")
            @Min(value = 1, message = AnalyticsResource.DAYS_RANGE) @Max(value = 365, message = AnalyticsResource.DAYS_RANGE) int days,
            @Parameter(description = "daily: IANA time zone of the dates, or an offset such as +03:30; default UTC",
                    schema = @Schema(type = SchemaType.STRING, pattern = DayWindow.TZ_PATTERN, examples = "Asia/Tehran")) @QueryParam("tz") String tz,
            @Parameter(description = "daily: last day YYYY-MM-DD (1970-01-01..2100-12-31), default today in tz",
                    schema = @Schema(type = SchemaType.STRING, format = "date", examples = "2026-01-10")) @QueryParam("end") String end) {
        String kind = type == null ? "" : type.strip();
        if (kind.equals("recent")) {
            return recent(limit, FIRST_WINDOW);
        }
        if (kind.equals("daily")) {
            return analytics.daily(days, DayWindow.zone(tz), end);
        }
        return analytics.topEvents();
    }

    private Uni<List<RecentEvent>> recent(int limit, int window) {
        return repository.recent(window, limit).chain(events -> events.size() < limit && window < MAX_WINDOW
                ? recent(limit, window * 10)
                : Uni.createFrom().item(events));
    }
}
