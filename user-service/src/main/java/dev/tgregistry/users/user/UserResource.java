package dev.tgregistry.users.user;

import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
import dev.tgregistry.users.audience.AudiencePage;
import dev.tgregistry.users.audience.AudienceDocs;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.DefaultValue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.users.audience.Csv;
import dev.tgregistry.users.audience.CsvExport;
import dev.tgregistry.users.audience.CsvPageSize;
import dev.tgregistry.users.web.ApiErrors;
import io.vertx.core.buffer.Buffer;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestResponse;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;
import java.util.List;

@Path("/api/users")
@Tag(name = "users")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or wrong API key")
@RolesAllowed(Rights.READ)
public class UserResource {
    private static final String LIMIT_10000 = "limit must be between 1 and 10000";

    private final UserService users;

    private final CsvPageSize csvPage;

    public UserResource(UserService users, CsvPageSize csvPage) {
        this.users = users;
        this.csvPage = csvPage;
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getUser", summary = "One user with bookings, latest 50 events and free-lesson registrations")
    @APIResponse(responseCode = "200", description = "{user, bookings, events, free_lessons}")
    @APIResponse(responseCode = "400", description = "id is not a positive integer")
    @APIResponse(responseCode = "404", description = "No such user")
    public Uni<UserDetail> get(@PathParam("id") @Positive(message = ApiErrors.ID) long id) {
        return users.detail(id);
    }

    @GET
    @Path("/non-course")
    @Operation(operationId = "listNonCourseUsers", summary = "Users without a confirmed booking, by user id, keyset-paginated: the next page's cursor is in the "
            + "X-Next-Cursor header (absent on the last page); ?format=csv or Accept: text/csv streams all of them as CSV")
    @Parameter(name = "format", in = ParameterIn.QUERY, description = AudienceDocs.FORMAT,
            schema = @Schema(type = SchemaType.STRING, enumeration = {"json", "csv"}))
    @APIResponse(responseCode = "200", description = "A page of users",
            headers = {@Header(name = AudiencePage.NEXT_CURSOR_HEADER, description = AudienceDocs.NEXT_CURSOR,
                    schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Link", description = AudienceDocs.LINK, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Content-Disposition", description = AudienceDocs.CSV_DOWNLOAD, schema = @Schema(type = SchemaType.STRING))},
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = UserSummary.class)),
                    @Content(mediaType = Csv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING, description = AudienceDocs.CSV))})
    @APIResponse(responseCode = "400", description = "Bad limit or cursor")
    public Uni<RestResponse<List<UserSummary>>> nonCourse(
            @QueryParam("limit") @DefaultValue("1000") @Min(value = 1, message = LIMIT_10000)
            @Max(value = 10_000, message = LIMIT_10000) int limit,
            @Parameter(description = "X-Next-Cursor of the previous page") @QueryParam("cursor") String cursor) {
        return users.nonCourse(limit, cursor).map(page -> page.asArrayResponse("/api/users/non-course", limit));
    }

    @GET
    @Path("/non-course")
    @Produces(Csv.MEDIA_TYPE)
    @Operation(hidden = true, summary = "All users without a confirmed booking as CSV (streamed), by user id")
    public RestMulti<Buffer> nonCourseCsv() {
        return CsvExport.stream(Uni.createFrom().voidItem(), List.of("user_id", "username", "first_name", "display_name", "is_active",
                        "reachable_by_dm"),
                (none, cursor) -> users.nonCourse(csvPage.rows(), cursor),
                user -> Arrays.asList(user.userId(), user.username(), user.firstName(), user.displayName(), user.isActive(),
                        user.reachableByDm()),
                "non-course-users.csv");
    }

    @POST
    @Path("/validate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "validateRecipients", summary = "Check message recipients: which ids are known users and which of them blocked the bot")
    @APIResponse(responseCode = "200", description = "valid_users, invalid_user_ids, inactive_user_ids and counts",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Validation.class)))
    @APIResponse(responseCode = "400", description = "user_ids missing, empty, over 10,000, or an item not a positive integer")
    public Uni<Buffer> validate(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ValidateRequest.class))) JsonNode body) {
        return users.validate(UserIds.parse(body));
    }
}
