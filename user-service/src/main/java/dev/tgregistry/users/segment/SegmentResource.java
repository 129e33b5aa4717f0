package dev.tgregistry.users.segment;

import io.quarkus.security.identity.SecurityIdentity;
import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.users.audience.AudienceDocs;
import dev.tgregistry.users.audience.AudiencePage;
import dev.tgregistry.users.audience.Csv;
import dev.tgregistry.users.audience.CsvPageSize;
import dev.tgregistry.users.audience.NextPageLink;
import dev.tgregistry.users.user.UserPage;
import dev.tgregistry.users.web.ApiErrors;
import dev.tgregistry.users.web.IfMatch;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.util.List;

/** Saved segments: a named filter, versioned when edited, and the users it selects now. */
@Path("/api/segments")
@Tag(name = "segments")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or wrong API key")
@RolesAllowed(Rights.READ)
public class SegmentResource {
    static final String EXAMPLE = "{\"name\": \"Grade 11, math track, onboarded\", \"filter\": {\"study_track\": [\"math\"], "
            + "\"grade_year\": [11], \"onboarding_completed\": true, \"reachable_by_dm\": true}}";
    static final String ETAG = "The segment's version in quotes; send it back as If-Match to edit exactly this version";

    private final SegmentService segments;
    private final SegmentUsers users;
    private final CsvPageSize csvPage;
    private final SecurityIdentity caller;

    public SegmentResource(SegmentService segments, SegmentUsers users, CsvPageSize csvPage, SecurityIdentity caller) {
        this.segments = segments;
        this.users = users;
        this.csvPage = csvPage;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Rights.WRITE)
    @Operation(operationId = "createSegment", summary = "Save a filter under a name (version 1)")
    @APIResponse(responseCode = "201", description = "The segment", headers = @Header(name = HttpHeaders.ETAG, description = ETAG,
            schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = SegmentView.class)))
    @APIResponse(responseCode = "400", description = "name or a filter member refused (the detail names it)")
    public Uni<RestResponse<SegmentView>> create(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SegmentRequest.class), examples = @ExampleObject(name = "segment", value = EXAMPLE))) JsonNode body) {
        return segments.create(body, caller.getPrincipal().getName()).map(created -> RestResponse.ResponseBuilder
                .<SegmentView>created(URI.create("/api/segments/" + created.id())).entity(created)
                .header(HttpHeaders.ETAG, created.etag()).build());
    }

    @GET
    @Operation(operationId = "listSegments", summary = "Every saved segment, by id")
    @APIResponse(responseCode = "200", description = "Segments")
    public Uni<List<SegmentView>> list() {
        return segments.all();
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getSegment", summary = "One saved segment")
    @APIResponse(responseCode = "200", description = "The segment", headers = @Header(name = HttpHeaders.ETAG, description = ETAG,
            schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = SegmentView.class)))
    @APIResponse(responseCode = "404", description = "No such segment")
    public Uni<RestResponse<SegmentView>> get(@PathParam("id") @Positive(message = ApiErrors.ID) long id) {
        return segments.get(id).map(SegmentResource::withEtag);
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Rights.WRITE)
    @Operation(operationId = "replaceSegment", summary = "Edit a segment's name and filter: a new version (the old ones stay readable)")
    @APIResponse(responseCode = "200", description = "The segment at its new version", headers = @Header(name = HttpHeaders.ETAG,
            description = ETAG, schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = SegmentView.class)))
    @APIResponse(responseCode = "400", description = "name or a filter member refused (the detail names it)")
    @APIResponse(responseCode = "404", description = "No such segment")
    @APIResponse(responseCode = "412", description = "If-Match names another version")
    public Uni<RestResponse<SegmentView>> replace(@PathParam("id") @Positive(message = ApiErrors.ID) long id,
                                                  @Parameter(description = "ETag of the version the edit is based on, or *", example = "\"3\"")
                                                  @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                                                  @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                                          schema = @Schema(implementation = SegmentRequest.class))) JsonNode body) {
        return segments.replace(id, body, IfMatch.versions(ifMatch), caller.getPrincipal().getName()).map(SegmentResource::withEtag);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Rights.WRITE)
    @Operation(operationId = "deleteSegment", summary = "Delete a segment and its versions")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such segment")
    public Uni<Void> delete(@PathParam("id") @Positive(message = ApiErrors.ID) long id) {
        return segments.delete(id);
    }

    @GET
    @Path("/{id}/versions")
    @Operation(operationId = "listSegmentVersions", summary = "Every version of a segment, newest first")
    @APIResponse(responseCode = "200", description = "Versions")
    @APIResponse(responseCode = "404", description = "No such segment")
    public Uni<List<SegmentVersionView>> versions(@PathParam("id") @Positive(message = ApiErrors.ID) long id) {
        return segments.versions(id);
    }

    @GET
    @Path("/{id}/users")
    @Operation(operationId = "listSegmentUsers", summary = "The users the segment selects now, keyset-paginated as listUsers; "
            + "?format=csv or Accept: text/csv streams all of them as CSV")
    @Parameter(name = "format", in = ParameterIn.QUERY, description = AudienceDocs.FORMAT,
            schema = @Schema(type = SchemaType.STRING, enumeration = {"json", "csv"}))
    @APIResponse(responseCode = "200", description = "A page and the cursor of the next one",
            headers = {@Header(name = AudiencePage.NEXT_CURSOR_HEADER, description = AudienceDocs.NEXT_CURSOR, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Link", description = AudienceDocs.LINK, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Content-Disposition", description = AudienceDocs.CSV_DOWNLOAD, schema = @Schema(type = SchemaType.STRING))},
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserPage.class)),
                    @Content(mediaType = Csv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING, description = AudienceDocs.CSV))})
    @APIResponse(responseCode = "400", description = "Bad sort, limit or cursor")
    @APIResponse(responseCode = "404", description = "No such segment")
    public Uni<RestResponse<UserPage>> users(@PathParam("id") @Positive(message = ApiErrors.ID) long id,
                                             @Parameter(description = SegmentUsersResource.SORT, schema = @Schema(type = SchemaType.STRING,
                                                     enumeration = {"last_seen", "first_seen", "id"}, defaultValue = "last_seen"))
                                             @QueryParam("sort") String sort,
                                             @QueryParam("limit") @DefaultValue("100") @Min(value = 1, message = SegmentUsersResource.LIMIT_1000)
                                             @Max(value = 1000, message = SegmentUsersResource.LIMIT_1000) int limit,
                                             @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
                                             @Context UriInfo uri) {
        return segments.filterOf(id).chain(filter -> {
            SegmentUsers.Walk walk = users.walk(filter, sort, cursor);
            return users.page(walk, limit).map(page -> page.respond(new UserPage(page.items(), page.nextCursor()), NextPageLink.of(uri), limit));
        });
    }

    @GET
    @Path("/{id}/users")
    @Produces(Csv.MEDIA_TYPE)
    @Operation(hidden = true, summary = "The segment's users as CSV (streamed)")
    public RestMulti<Buffer> usersCsv(@PathParam("id") @Positive(message = ApiErrors.ID) long id, @QueryParam("sort") String sort) {
        return SegmentUsersResource.csv(segments.filterOf(id).map(filter -> users.walk(filter, sort, null)), users, csvPage,
                "segment-" + id + ".csv");
    }

    @GET
    @Path("/{id}/count")
    @Operation(operationId = "countSegmentUsers", summary = "How many users the segment selects now")
    @APIResponse(responseCode = "200", description = "{count}")
    @APIResponse(responseCode = "404", description = "No such segment")
    public Uni<UserCount> count(@PathParam("id") @Positive(message = ApiErrors.ID) long id) {
        return segments.filterOf(id).chain(users::count).map(UserCount::new);
    }

    private static RestResponse<SegmentView> withEtag(SegmentView segment) {
        return RestResponse.ResponseBuilder.ok(segment).header(HttpHeaders.ETAG, segment.etag()).build();
    }
}
