package dev.tgregistry.users.user;

import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import dev.tgregistry.users.booking.BookingStatus;
import dev.tgregistry.users.web.ApiErrors;
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

/** The original dashboard's user routes that have no counterpart in our contract: the paged list and hackathon. */
@Path("/api/users")
@Tag(name = "users")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or wrong API key")
@RolesAllowed(Rights.READ)
public class UserListResource {
    static final int MAX_SEARCH = 64;
    private static final String PAGE_RANGE = "page must be between 1 and 1000000";
    private static final String LIMIT_RANGE = "limit must be between 1 and 1000";
    private static final String STATUS_RANGE = "status must be between -1 and 2";

    private final UserListService list;
    private final HackathonRepository hackathon;

    public UserListResource(UserListService list, HackathonRepository hackathon) {
        this.list = list;
        this.hackathon = hackathon;
    }

    @GET
    @Path("/list")
    @Operation(operationId = "listUsersPaged", summary = "All users, page by page (the original dashboard's list), most recently active first, with booking, "
            + "event and free-lesson totals and the newest booking's stream and status")
    @APIResponse(responseCode = "200", description = "{success, users, total, page, limit, totalPages}")
    @APIResponse(responseCode = "400", description = "page, limit, search or status out of range")
    public Uni<UserList> list(@QueryParam("page") @DefaultValue("1") @Min(value = 1, message = PAGE_RANGE)
                              @Max(value = 1_000_000, message = PAGE_RANGE) int page,
                              @QueryParam("limit") @DefaultValue("50") @Min(value = 1, message = LIMIT_RANGE)
                              @Max(value = 1000, message = LIMIT_RANGE) int limit,
                              @Parameter(description = "case-insensitive substring of username or first name") @QueryParam("search") String search,
                              @Parameter(description = "the newest booking's stream") @QueryParam("stream") String stream,
                              @Parameter(description = "the newest booking's confirmed: -1, 0, 1 or 2") @QueryParam("status")
                              @Min(value = BookingStatus.CANCELLED, message = STATUS_RANGE)
                              @Max(value = BookingStatus.CONFIRMED, message = STATUS_RANGE) Integer status) {
        String text = blankToNull(search);
        if (text != null && text.length() > MAX_SEARCH) {
            throw ApiErrors.badRequest("search must be at most " + MAX_SEARCH + " characters");
        }
        return list.list(new UserListQuery(text, blankToNull(stream), status), page, limit);
    }

    @GET
    @Path("/hackathon")
    @Operation(operationId = "listHackathonUsers", summary = "Hackathon registrants (the bot's hackathon_registrations; none if that table does not exist), by user id")
    @APIResponse(responseCode = "200", description = "Users")
    public Uni<List<UserSummary>> hackathon() {
        return hackathon.registrants();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
