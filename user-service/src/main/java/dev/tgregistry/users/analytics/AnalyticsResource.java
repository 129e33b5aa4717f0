package dev.tgregistry.users.analytics;

import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import jakarta.ws.rs.DefaultValue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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

/** The dashboard's analytics routes (the original's paths and shapes); daily stats and top events are under /api/events. */
@Path("/api")
@Tag(name = "analytics")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or wrong API key")
@RolesAllowed(Rights.READ)
public class AnalyticsResource {
    /** The original's {@code days} rule of user growth and daily stats (1..365, default 30). */
    public static final String DAYS_RANGE = "days must be between 1 and 365";

    private final AnalyticsService analytics;

    public AnalyticsResource(AnalyticsService analytics) {
        this.analytics = analytics;
    }

    @GET
    @Path("/user-growth")
    @Operation(operationId = "getUserGrowth", summary = "Users per day: first seen that day (newUsers) and up to its end (totalUsers), days + 1 days, oldest first")
    @APIResponse(responseCode = "200", description = "[{date, totalUsers, newUsers}]")
    @APIResponse(responseCode = "400", description = "days not 1..365, tz not a time zone, end not a date")
    public Uni<List<GrowthPoint>> growth(@QueryParam("days") @DefaultValue("30") @Min(value = 1, message = DAYS_RANGE)
                                         @Max(value = 365, message = DAYS_RANGE) int days,
                                         @Parameter(description = "IANA time zone of the dates, or an offset such as +03:30; default UTC",
                                                 schema = @Schema(type = SchemaType.STRING, pattern = DayWindow.TZ_PATTERN, examples = "Asia/Tehran"))
                                         @QueryParam("tz") String tz,
                                         @Parameter(description = "last day YYYY-MM-DD (1970-01-01..2100-12-31), default today in tz",
                                                 schema = @Schema(type = SchemaType.STRING, format = "date", examples = "2026-01-10"))
                                         @QueryParam("end") String end) {
        return analytics.growth(days, DayWindow.zone(tz), end);
    }

    @GET
    @Path("/courses")
    @Operation(operationId = "getCourseStats", summary = "Bookings per course by status (every course; bookings without a course last)")
    @APIResponse(responseCode = "200", description = "[{courseId, courseName, total, confirmed, pending, cancelled, created}]")
    public Uni<List<CourseStats>> courses() {
        return analytics.courses();
    }

    @GET
    @Path("/course-streams")
    @Operation(operationId = "getCourseStreamStats", summary = "Bookings per course and stream by status (NULL stream included), streams in natural order")
    @APIResponse(responseCode = "200",
            description = "[{courseId, courseName, courseStream, courseStreamRaw, total, confirmed, pending, cancelled, created}]")
    public Uni<List<CourseStreamStats>> courseStreams() {
        return analytics.courseStreams();
    }

    @GET
    @Path("/free-lessons-conversion")
    @Operation(operationId = "getFreeLessonConversion", summary = "Per lesson type: registered users, how many of them clicked the lesson link, the rate in percent")
    @APIResponse(responseCode = "200",
            description = "[{lesson_type, registrations, attendances, conversion_rate, unregistered_clickers}], registrations desc")
    public Uni<List<LessonConversion>> lessonConversion() {
        return analytics.lessonConversion();
    }
}
