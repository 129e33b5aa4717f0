package dev.tgregistry.users.profile;

import io.quarkus.security.identity.SecurityIdentity;
import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.DefaultValue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.users.web.ApiErrors;
import dev.tgregistry.users.web.IfMatch;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;

@Path("/api/users")
@Tag(name = "profiles")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or wrong API key")
@RolesAllowed(Rights.READ)
public class ProfileResource {
    static final String MERGE_PATCH = "application/merge-patch+json";
    private static final String ETAG = "The profile's version in quotes; send it back as If-Match to change exactly this version";
    private static final String PATCH_EXAMPLE = "{\"nickname\": \"sereja\", \"phone\": null, \"attributes\": {\"city\": \"Tbilisi\"}}";
    private static final String LIMIT_RANGE = "limit must be between 1 and 1000";

    private final ProfileService profiles;
    private final SecurityIdentity caller;

    public ProfileResource(ProfileService profiles, SecurityIdentity caller) {
        this.profiles = profiles;
        this.caller = caller;
    }

    @GET
    @Path("/{id}/profile")
    @Operation(operationId = "getProfile", summary = "The profile a bot keeps for the user; ETag is its version")
    @APIResponse(responseCode = "200", description = "The profile", headers = @Header(name = HttpHeaders.ETAG,
            description = ETAG, schema = @Schema(type = SchemaType.STRING, examples = "\"3\"")))
    @APIResponse(responseCode = "400", description = "id is not a positive integer")
    @APIResponse(responseCode = "404", description = "The user has no profile")
    public Uni<RestResponse<ProfileView>> get(@PathParam("id") @Positive(message = ApiErrors.ID) long id) {
        return profiles.get(id).map(ProfileResource::withEtag);
    }

    @PATCH
    @Path("/{id}/profile")
    @RolesAllowed(Rights.WRITE)
    @Consumes({MERGE_PATCH, MediaType.APPLICATION_JSON})
    @Operation(operationId = "patchProfile", summary = "Change the profile with a JSON Merge Patch (RFC 7396): null removes a field, attributes merge "
            + "key by key. Creates the profile (and the user, if not yet seen). If-Match makes it conditional")
    @APIResponse(responseCode = "200", description = "The profile after the change, with its new ETag",
            headers = @Header(name = HttpHeaders.ETAG, description = ETAG, schema = @Schema(type = SchemaType.STRING, examples = "\"4\"")))
    @APIResponse(responseCode = "400", description = "Bad id, or a field of the wrong type (the message names it)")
    @APIResponse(responseCode = "403", description = "The key lacks the write right")
    @APIResponse(responseCode = "409", description = "nickname is taken by another user (case-insensitively)")
    @APIResponse(responseCode = "412", description = "If-Match does not match the profile's current version")
    public Uni<RestResponse<ProfileView>> patch(@PathParam("id") @Positive(message = ApiErrors.ID) long id,
                                                @Parameter(description = "ETag(s) of the version the change is based on, or *",
                                                        example = "\"3\"")
                                                @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                                                @RequestBody(required = true, content = {
                                                        @Content(mediaType = MERGE_PATCH, schema = @Schema(implementation = ProfileMergePatch.class),
                                                                examples = @ExampleObject(name = "nickname", value = PATCH_EXAMPLE)),
                                                        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProfileMergePatch.class),
                                                                examples = @ExampleObject(name = "nickname", value = PATCH_EXAMPLE))})
                                                JsonNode body) {
        return profiles.patch(id, body, IfMatch.versions(ifMatch), caller.getPrincipal().getName()).map(ProfileResource::withEtag);
    }

    @GET
    @Path("/{id}/profile/history")
    @Operation(operationId = "getProfileHistory", summary = "Every change of the user's profile, newest first: field, old and new value, when, which key")
    @APIResponse(responseCode = "200", description = "Changes (empty when none)")
    @APIResponse(responseCode = "400", description = "Bad id or limit")
    public Uni<List<ProfileChangeView>> history(@PathParam("id") @Positive(message = ApiErrors.ID) long id,
                                                @QueryParam("limit") @DefaultValue("100") @Min(value = 1, message = LIMIT_RANGE)
                                                @Max(value = 1000, message = LIMIT_RANGE) int limit) {
        return profiles.history(id, limit);
    }

    @GET
    @Path("/by-nickname")
    @Operation(operationId = "findUserByNickname", summary = "The user whose profile has this nickname (exact, case-insensitive)")
    @APIResponse(responseCode = "200", description = "{user, profile}")
    @APIResponse(responseCode = "400", description = "nickname missing")
    @APIResponse(responseCode = "404", description = "Nobody has that nickname")
    public Uni<UserWithProfile> byNickname(@QueryParam("nickname") String nickname) {
        return profiles.byNickname(required("nickname", nickname));
    }

    @GET
    @Path("/by-phone")
    @Operation(operationId = "findUsersByPhone", summary = "Users whose profile has this phone (normalised to E.164 like stored phones), by user id")
    @APIResponse(responseCode = "200", description = "[{user, profile}] (empty when none)")
    @APIResponse(responseCode = "400", description = "phone missing")
    public Uni<List<UserWithProfile>> byPhone(@QueryParam("phone") String phone) {
        return profiles.byPhone(required("phone", phone));
    }

    private static String required(String parameter, String value) {
        if (value == null || value.isBlank()) {
            throw ApiErrors.badRequest(parameter + " is required");
        }
        return value.strip();
    }

    private static RestResponse<ProfileView> withEtag(ProfileView profile) {
        return RestResponse.ResponseBuilder.ok(profile).header(HttpHeaders.ETAG, profile.etag()).build();
    }
}
