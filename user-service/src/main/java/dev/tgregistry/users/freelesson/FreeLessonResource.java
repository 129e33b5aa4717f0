package dev.tgregistry.users.freelesson;

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

@Path("/api/free-lessons")
@Tag(name = "free lessons")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or wrong API key")
@RolesAllowed(Rights.READ)
public class FreeLessonResource {
    private static final String LIMIT_RANGE = "limit must be between 1 and 500";

    private final FreeLessonRepository repository;

    public FreeLessonResource(FreeLessonRepository repository) {
        this.repository = repository;
    }
    @GET
    @Operation(operationId = "listRecentFreeLessons", summary = "Newest free-lesson registrations first, with names; absent values as the original showed them (N/A, Unknown)")
    @APIResponse(responseCode = "200", description = "Registrations by registered_at desc")
    @APIResponse(responseCode = "400", description = "limit is not 1..500")
    public Uni<List<RecentFreeLesson>> recent(@QueryParam("limit") @DefaultValue("50") @Min(value = 1, message = LIMIT_RANGE)
                                              @Max(value = 500, message = LIMIT_RANGE) int limit) {
        return repository.recent(limit);
    }
}
