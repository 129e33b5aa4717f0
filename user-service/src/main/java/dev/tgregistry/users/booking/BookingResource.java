package dev.tgregistry.users.booking;

import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/bookings")
@Tag(name = "bookings")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or wrong API key")
@RolesAllowed(Rights.READ)
public class BookingResource {
    private static final String LIMIT_RANGE = "limit must be between 1 and 200";

    private final BookingRepository repository;

    public BookingResource(BookingRepository repository) {
        this.repository = repository;
    }

    @GET
    @Operation(operationId = "listRecentBookings", summary = "Newest bookings first, with names (from users, else the booking)")
    @APIResponse(responseCode = "200", description = "Bookings by created_at desc")
    @APIResponse(responseCode = "400", description = "limit is not 1..200")
    public Uni<List<RecentBooking>> recent(@QueryParam("limit") @DefaultValue("20") @Min(value = 1, message = LIMIT_RANGE)
                                           @Max(value = 200, message = LIMIT_RANGE) int limit) {
        return repository.recent(limit);
    }
}
