package dev.tgregistry.users.stats;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/stats")
@Tag(name = "stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {
    /** activeBookings: not cancelled (confirmed <> -1); confirmedPayments: confirmed = 2. */
    static final String COUNTS = """
            SELECT (SELECT count(*) FROM users) AS total_users,
                   (SELECT count(*) FROM bookings WHERE confirmed <> -1) AS active_bookings,
                   (SELECT count(*) FROM bookings WHERE confirmed = 2) AS confirmed_payments,
                   (SELECT count(*) FROM free_lesson_registrations) AS free_lesson_registrations
            """;

    /** The original dashboard's camelCase keys, kept. */
    public record Stats(@JsonProperty("totalUsers") long totalUsers,
                        @JsonProperty("activeBookings") long activeBookings,
                        @JsonProperty("confirmedPayments") long confirmedPayments,
                        @JsonProperty("freeLessonRegistrations") long freeLessonRegistrations) {
        static Stats of(Row row) {
            return new Stats(row.getLong("total_users"), row.getLong("active_bookings"),
                    row.getLong("confirmed_payments"), row.getLong("free_lesson_registrations"));
        }
    }

    private final Pool pool;

    public StatsResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    @Operation(summary = "Totals for the dashboard's header")
    @APIResponse(responseCode = "200", description = "{totalUsers, activeBookings, confirmedPayments, freeLessonRegistrations}")
    @APIResponse(responseCode = "401", description = "Missing or wrong API key")
    public Uni<Stats> stats() {
        return pool.query(COUNTS).execute().map(rows -> Stats.of(rows.iterator().next()));
    }
}
