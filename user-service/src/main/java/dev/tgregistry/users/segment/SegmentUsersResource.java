package dev.tgregistry.users.segment;

import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
import dev.tgregistry.users.audience.AudienceDocs;
import dev.tgregistry.users.audience.AudiencePage;
import dev.tgregistry.users.audience.Csv;
import dev.tgregistry.users.audience.CsvExport;
import dev.tgregistry.users.audience.CsvPageSize;
import dev.tgregistry.users.audience.NextPageLink;
import dev.tgregistry.users.user.UserPage;
import dev.tgregistry.users.person.UserView;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.Arrays;

/** {@code GET /api/users}: every user, or the users an ad-hoc filter selects (the members of SegmentFilter). */
@Path("/api/users")
@Tag(name = "users")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or wrong API key")
@RolesAllowed(Rights.READ)
public class SegmentUsersResource {
    static final String LIMIT_1000 = "limit must be between 1 and 1000";
    static final String SORT = "last_seen (default): newest last sighting first; first_seen: newest users first; id: by user id";
    static final String CSV_COLUMNS = "user_id, username, first_name, last_name, language_code, is_active, is_premium, "
            + "reachable_by_dm, first_seen_at, last_seen_at";

    private final SegmentUsers segments;
    private final CsvPageSize csvPage;

    public SegmentUsersResource(SegmentUsers segments, CsvPageSize csvPage) {
        this.segments = segments;
        this.csvPage = csvPage;
    }

    @GET
    @Operation(operationId = "listUsers", summary = "Users, keyset-paginated, optionally filtered (every filter given must hold); "
            + "?format=csv or Accept: text/csv streams all of them as CSV")
    @Parameter(name = "format", in = ParameterIn.QUERY, description = AudienceDocs.FORMAT,
            schema = @Schema(type = SchemaType.STRING, enumeration = {"json", "csv"}))
    @APIResponse(responseCode = "200", description = "A page and the cursor of the next one",
            headers = {@Header(name = AudiencePage.NEXT_CURSOR_HEADER, description = AudienceDocs.NEXT_CURSOR, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Link", description = AudienceDocs.LINK, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Content-Disposition", description = AudienceDocs.CSV_DOWNLOAD, schema = @Schema(type = SchemaType.STRING))},
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserPage.class)),
                    @Content(mediaType = Csv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING, description = AudienceDocs.CSV))})
    @APIResponse(responseCode = "400", description = "A filter, sort, limit or cursor refused (the detail names it)")
    public Uni<RestResponse<UserPage>> list(@BeanParam SegmentFilter filter,
                                            @Parameter(description = SORT, schema = @Schema(type = SchemaType.STRING,
                                                    enumeration = {"last_seen", "first_seen", "id"}, defaultValue = "last_seen"))
                                            @QueryParam("sort") String sort,
                                            @QueryParam("limit") @DefaultValue("100") @Min(value = 1, message = LIMIT_1000)
                                            @Max(value = 1000, message = LIMIT_1000) int limit,
                                            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
                                            @Context UriInfo uri) {
        SegmentUsers.Walk walk = segments.walk(filter, sort, cursor);
        return segments.page(walk, limit).map(page -> page.respond(new UserPage(page.items(), page.nextCursor()),
                NextPageLink.of(uri), limit));
    }

    @GET
    @Produces(Csv.MEDIA_TYPE)
    @Operation(hidden = true, summary = "The filtered users as CSV (streamed)")
    public RestMulti<Buffer> listCsv(@BeanParam SegmentFilter filter, @QueryParam("sort") String sort) {
        return csv(Uni.createFrom().item(() -> segments.walk(filter, sort, null)), segments, csvPage, "users.csv");
    }

    @GET
    @Path("/count")
    @Operation(operationId = "countUsers", summary = "How many users the filter selects (the same parameters as listUsers)")
    @APIResponse(responseCode = "200", description = "{count}")
    @APIResponse(responseCode = "400", description = "A filter refused (the detail names it)")
    public Uni<UserCount> count(@BeanParam SegmentFilter filter) {
        return segments.count(filter).map(UserCount::new);
    }

    /** A walk's every page as CSV. */
    static RestMulti<Buffer> csv(Uni<SegmentUsers.Walk> walk, SegmentUsers segments, CsvPageSize csvPage, String fileName) {
        return CsvExport.stream(walk, Arrays.asList(CSV_COLUMNS.split(", ")),
                (first, cursor) -> segments.pageAfter(first, cursor, csvPage.rows()),
                (UserView u) -> Arrays.asList(u.userId(), u.username(), u.firstName(), u.lastName(), u.languageCode(),
                        u.isActive(), u.isPremium(), u.reachableByDm(), u.firstSeenAt(), u.lastSeenAt()), fileName);
    }
}
