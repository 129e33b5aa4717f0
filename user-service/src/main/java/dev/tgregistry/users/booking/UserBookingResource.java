package dev.tgregistry.users.booking;

import io.quarkus.security.identity.SecurityIdentity;
import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import jakarta.validation.constraints.Positive;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.users.web.ApiErrors;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/users")
@Tag(name = "bookings")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or wrong API key")
@RolesAllowed(Rights.READ)
public class UserBookingResource {
    private final BookingRepository repository;
    private final BookingEditService editing;
    private final SecurityIdentity caller;

    public UserBookingResource(BookingRepository repository, BookingEditService editing, SecurityIdentity caller) {
        this.repository = repository;
        this.editing = editing;
        this.caller = caller;
    }

    @GET
    @Path("/{id}/bookings")
    @Operation(operationId = "getUserBookings", summary = "A user's bookings, newest first: {success: true, bookings}")
    @APIResponse(responseCode = "200", description = "The bookings (empty for a user without any)")
    @APIResponse(responseCode = "400", description = "id is not a positive integer")
    public Uni<UserBookings> ofUser(@PathParam("id") @Positive(message = ApiErrors.ID) long id) {
        return repository.ofUser(id).map(bookings -> new UserBookings(true, bookings));
    }

    @PATCH
    @Path("/{id}/bookings")
    @RolesAllowed(Rights.WRITE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "patchUserBookings", summary = "Edit a booking of the user: {\"bookingId\": <id or null = newest non-cancelled>, \"updates\": "
            + "{course_stream?, confirmed?, referral_code?, discount_percent?}}. The edit sticks: see docs/DESIGN.md")
    @APIResponse(responseCode = "200", description = "{success, message, booking_id, user_id, changed_fields}")
    @APIResponse(responseCode = "400", description = "Bad id, body or value, or no active booking")
    @APIResponse(responseCode = "403", description = "The API key lacks the write right")
    @APIResponse(responseCode = "404", description = "bookingId is not a booking of this user")
    public Uni<BookingEdit> edit(@PathParam("id") @Positive(message = ApiErrors.ID) long id,
                                 @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                         schema = @Schema(implementation = BookingEditRequest.class),
                                         examples = @ExampleObject(name = "move and confirm", value = "{\"bookingId\": null, "
                                                 + "\"updates\": {\"course_stream\": \"5th_stream\", \"confirmed\": 2}}")))
                                 JsonNode body) {
        return editing.edit(id, BookingUpdates.parse(body), caller.getPrincipal().getName());
    }
}
