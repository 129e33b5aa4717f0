package dev.tgregistry.users.coursestream;

import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
import dev.tgregistry.users.booking.StreamCatalog;
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
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;

import java.util.Arrays;
import java.util.List;

@Path("/api/stream-students")
@Tag(name = "streams")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or wrong API key")
@RolesAllowed(Rights.READ)
public class CourseStreamStudentsResource {
    private final CourseStreamService streams;
    private final StreamCatalog catalog;
    private final CsvPageSize csvPage;

    public CourseStreamStudentsResource(CourseStreamService streams, StreamCatalog catalog, CsvPageSize csvPage) {
        this.streams = streams;
        this.catalog = catalog;
        this.csvPage = csvPage;
    }

    @GET
    @Operation(operationId = "getStreamRoster", summary = "Everyone with a booking in the stream (any status, newest booking), plus, for the configured campaign "
            + "stream, program viewers without a booking there; newest first (created_at desc, user id), keyset-paginated: "
            + "pass next_cursor back as cursor (null on the last page); total counts the whole list; ?format=csv or "
            + "Accept: text/csv streams all of them as CSV")
    @Parameter(name = "format", in = ParameterIn.QUERY, description = AudienceDocs.FORMAT,
            schema = @Schema(type = SchemaType.STRING, enumeration = {"json", "csv"}))
    @APIResponse(responseCode = "200", description = "{stream, total, students, next_cursor}",
            headers = @Header(name = "Content-Disposition", description = AudienceDocs.CSV_DOWNLOAD, schema = @Schema(type = SchemaType.STRING)),
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StreamRoster.class)),
                    @Content(mediaType = Csv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING, description = AudienceDocs.CSV))})
    @APIResponse(responseCode = "400", description = "Stream missing or not a valid stream (the message lists the valid ones), bad limit or cursor")
    public Uni<StreamRoster> students(
            @QueryParam("stream") String stream,
            @QueryParam("limit") @DefaultValue("10000") @Min(value = 1, message = CourseStreamResource.LIMIT_RANGE)
            @Max(value = CourseStreamResource.PAGE, message = CourseStreamResource.LIMIT_RANGE) int limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
        return streams.roster(stream == null ? null : stream.strip(), limit, cursor);
    }

    @GET
    @Produces(Csv.MEDIA_TYPE)
    @Operation(hidden = true, summary = "The whole roster of a stream as CSV (streamed), in the JSON list's order")
    public RestMulti<Buffer> studentsCsv(@QueryParam("stream") String stream) {
        String name = stream == null ? null : stream.strip();
        return CsvExport.stream(catalog.requireValid("stream", name),
                List.of("user_id", "username", "first_name", "display_name", "confirmed", "created_at", "last_activity",
                        "events_count", "source", "is_active", "reachable_by_dm"),
                (checked, cursor) -> streams.rosterPage(name, csvPage.rows(), cursor),
                student -> Arrays.asList(student.userId(), student.username(), student.firstName(), student.displayName(),
                        student.confirmed(), student.createdAt(), student.lastActivity(), student.eventsCount(), student.source(),
                        student.isActive(), student.reachableByDm()),
                "stream-students-" + name + ".csv");
    }
}
