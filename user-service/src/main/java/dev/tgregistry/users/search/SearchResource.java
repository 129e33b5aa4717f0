package dev.tgregistry.users.search;

import dev.tgregistry.users.web.Rights;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import jakarta.ws.rs.DefaultValue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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

@Path("/api/users/search")
@Tag(name = "users")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Rights.READ)
public class SearchResource {
    private static final String LIMIT_RANGE = "limit must be between 1 and " + SearchService.MAX_LIMIT;

    private final SearchService search;
    private final SearchStatsService stats;

    public SearchResource(SearchService search, SearchStatsService stats) {
        this.search = search;
        this.stats = stats;
    }

    @GET
    @Operation(operationId = "searchUsers", summary = "Find users by username, first/last name (prefix or substring, case-insensitive) or numeric id")
    @APIResponse(responseCode = "200", description = "Exact username, then username prefix, then name prefix, then substring; "
            + "ties by most recently seen. With stats=true: the original dashboard's search statistics object instead",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(oneOf = {SearchHit[].class, SearchStats.class})))
    @APIResponse(responseCode = "400", description = "q longer than 64 characters or a bad limit")
    public Uni<?> search(
            @Parameter(description = "Search text; a leading @ is ignored") @QueryParam("q") String q,
            @QueryParam("limit") @DefaultValue("50") @Min(value = 1, message = LIMIT_RANGE)
            @Max(value = SearchService.MAX_LIMIT, message = LIMIT_RANGE) int limit,
            @Parameter(description = "'true': answer {totalUsers, indexSize, streamStats, nonCourseUsers, hackathonUsers, ...} "
                    + "(the original dashboard's cache statistics) instead of searching") @QueryParam("stats") @Schema(enumeration = "true") String statsWanted) {
        if ("true".equals(statsWanted)) {
            return stats.stats();
        }
        return hits(q, limit);
    }

    private Uni<List<SearchHit>> hits(String q, int pageSize) {
        String query = q == null ? "" : q.strip();
        if (query.startsWith("@")) {
            query = query.substring(1).strip();
        }
        if (query.codePointCount(0, query.length()) > SearchService.MAX_QUERY_LENGTH) {
            throw ApiErrors.badRequest("q must be at most " + SearchService.MAX_QUERY_LENGTH + " characters");
        }
        if (query.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return search.search(query, pageSize);
    }
}
