package dev.tgregistry.users.events;

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

@Path("/api/events")
@Tag(name = "events")
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {
    /** The first window looked at; widened tenfold while a few chatty users leave the page short. */
    static final int FIRST_WINDOW = 2_000;
    static final int MAX_WINDOW = 2_000_000;

    private final EventRepository repository;

    public EventResource(EventRepository repository) {
        this.repository = repository;
    }

    @GET
    @Operation(summary = "Recent events: at most the 2 newest per user, then the newest `limit` overall, with names")
    @APIResponse(responseCode = "200", description = "Events, newest first")
    @APIResponse(responseCode = "400", description = "type is not 'recent', or limit is not 1..200")
    @APIResponse(responseCode = "401", description = "Missing or wrong API key")
    public Uni<List<RecentEvent>> events(@Parameter(description = "only 'recent'") @QueryParam("type") String type,
                                         @Parameter(description = "1..200, default 30") @QueryParam("limit") String limit) {
        if (type != null && !type.isBlank() && !type.strip().equals("recent")) {
            throw ApiErrors.badRequest("type must be 'recent'");
        }
        return recent(ApiErrors.intInRange("limit", limit, 30, 1, 200), FIRST_WINDOW);
    }

    private Uni<List<RecentEvent>> recent(int limit, int window) {
        return repository.recent(window, limit).chain(events -> events.size() < limit && window < MAX_WINDOW
                ? recent(limit, window * 10)
                : Uni.createFrom().item(events));
    }
}
