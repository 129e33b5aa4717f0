package dev.tgregistry.users.user;

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
public class UserListResource {
    static final int MAX_SEARCH = 64;

    private final UserListService list;
    private final HackathonRepository hackathon;

    public UserListResource(UserListService list, HackathonRepository hackathon) {
        this.list = list;
        this.hackathon = hackathon;
    }

    @GET
    @Path("/list")
    @Operation(summary = "All users, page by page (the original dashboard's list), most recently active first, with booking, "
            + "event and free-lesson totals and the newest booking's stream and status")
    @APIResponse(responseCode = "200", description = "{success, users, total, page, limit, totalPages}")
    @APIResponse(responseCode = "400", description = "page, limit, search or status out of range")
    public Uni<UserList> list(@Parameter(description = "1.., default 1") @QueryParam("page") String page,
                              @Parameter(description = "1..1000, default 50") @QueryParam("limit") String limit,
                              @Parameter(description = "case-insensitive substring of username or first name") @QueryParam("search") String search,
                              @Parameter(description = "the newest booking's stream") @QueryParam("stream") String stream,
                              @Parameter(description = "the newest booking's confirmed: -1, 0, 1 or 2") @QueryParam("status") String status) {
        int pageNumber = ApiErrors.intInRange("page", page, 1, 1, 1_000_000);
        int pageSize = ApiErrors.intInRange("limit", limit, 50, 1, 1000);
        String text = blankToNull(search);
        if (text != null && text.length() > MAX_SEARCH) {
            throw ApiErrors.badRequest("search must be at most " + MAX_SEARCH + " characters");
        }
        Integer confirmed = status == null || status.isBlank() ? null : ApiErrors.intInRange("status", status, 0, BookingStatus.CANCELLED, BookingStatus.CONFIRMED);
        return list.list(new UserListQuery(text, blankToNull(stream), confirmed), pageNumber, pageSize);
    }

    @GET
    @Path("/hackathon")
    @Operation(summary = "Hackathon registrants (the bot's hackathon_registrations; none if that table does not exist), by user id")
    @APIResponse(responseCode = "200", description = "Users")
    public Uni<List<UserSummary>> hackathon() {
        return hackathon.registrants();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
