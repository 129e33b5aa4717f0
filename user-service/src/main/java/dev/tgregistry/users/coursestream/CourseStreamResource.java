package dev.tgregistry.users.coursestream;

import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
import dev.tgregistry.users.audience.AudiencePage;
import dev.tgregistry.users.audience.AudienceDocs;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import jakarta.ws.rs.DefaultValue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import dev.tgregistry.users.audience.Csv;
import dev.tgregistry.users.audience.CsvExport;
import dev.tgregistry.users.audience.CsvPageSize;
import io.vertx.core.buffer.Buffer;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestResponse;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

@Path("/api/users")
@Tag(name = "streams")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or wrong API key")
@RolesAllowed(Rights.READ)
public class CourseStreamResource {
    /** Page size limit (and default: the original answered the whole stream at once). */
    static final int PAGE = 10_000;
    static final String LIMIT_RANGE = "limit must be between 1 and 10000";
    private final CourseStreamService streams;

    private final CsvPageSize csvPage;

    public CourseStreamResource(CourseStreamService streams, CsvPageSize csvPage) {
        this.streams = streams;
        this.csvPage = csvPage;
    }

    @GET
    @Path("/by-stream")
    @Operation(operationId = "listConfirmedStudentsByStream", summary = "Confirmed students (booking confirmed = 2) of a course stream, one row per user, by user id, "
            + "keyset-paginated: the next page's cursor is in the X-Next-Cursor header (absent on the last page); "
            + "?format=csv or Accept: text/csv streams all of them as CSV")
    @Parameter(name = "format", in = ParameterIn.QUERY, description = AudienceDocs.FORMAT,
            schema = @Schema(type = SchemaType.STRING, enumeration = {"json", "csv"}))
    @APIResponse(responseCode = "200", description = "A page of students",
            headers = {@Header(name = AudiencePage.NEXT_CURSOR_HEADER, description = AudienceDocs.NEXT_CURSOR,
                    schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Link", description = AudienceDocs.LINK, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Content-Disposition", description = AudienceDocs.CSV_DOWNLOAD, schema = @Schema(type = SchemaType.STRING))},
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = StreamStudent.class)),
                    @Content(mediaType = Csv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING, description = AudienceDocs.CSV))})
    @APIResponse(responseCode = "400", description = "Stream missing or not a valid stream (the message lists the valid ones), bad limit or cursor")
    public Uni<RestResponse<List<StreamStudent>>> byStream(
            @QueryParam("stream") String stream,
            @QueryParam("limit") @DefaultValue("10000") @Min(value = 1, message = LIMIT_RANGE)
            @Max(value = PAGE, message = LIMIT_RANGE) int limit,
            @Parameter(description = "X-Next-Cursor of the previous page") @QueryParam("cursor") String cursor) {
        int pageSize = limit;
        String name = stream == null ? null : stream.strip();
        return streams.confirmedStudents(name, pageSize, cursor).map(page -> page.asArrayResponse(
                "/api/users/by-stream?stream=" + URLEncoder.encode(name, StandardCharsets.UTF_8), pageSize));
    }

    @GET
    @Path("/by-stream")
    @Produces(Csv.MEDIA_TYPE)
    @Operation(hidden = true, summary = "All confirmed students of a course stream as CSV (streamed), by user id")
    public RestMulti<Buffer> byStreamCsv(@QueryParam("stream") String stream) {
        String name = stream == null ? null : stream.strip();
        // the first row is read before answering, so a bad stream is a 400, not a broken download
        return CsvExport.stream(streams.confirmedStudents(name, 1, null),
                List.of("user_id", "username", "first_name", "display_name", "course_stream", "is_active", "reachable_by_dm"),
                (checked, cursor) -> streams.confirmedStudents(name, csvPage.rows(), cursor),
                student -> Arrays.asList(student.userId(), student.username(), student.firstName(), student.displayName(),
                        student.courseStream(), student.isActive(), student.reachableByDm()),
                "stream-" + name + ".csv");
    }
}
