package dev.tgregistry.users.leads;

import dev.tgregistry.users.audience.AudiencePage;
import dev.tgregistry.users.audience.KeysetCursor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/**
 * Lead scoring pages. The cursor keeps the first page's window end, so every page ranks the same events (a
 * registrant added while paging shows up as a cold lead in id order; a lead whose events arrive later keeps the
 * first page's figures).
 */
@ApplicationScoped
public class LeadService {
    private final LeadRepository repository;
    private final KeysetCursor cursors;

    public LeadService(LeadRepository repository, KeysetCursor cursors) {
        this.repository = repository;
        this.cursors = cursors;
    }

    public Uni<AudiencePage<LeadActivity>> leads(int days, String score, int pageSize, String cursor) {
        String list = "leads:" + days + ":" + (score == null ? "" : score);
        List<String> key = cursors.decode(list, cursor, 4);
        Instant windowEnd = key == null ? null : cursors.pinnedInstant(key, 0);
        LeadActivity after = key == null ? null : new LeadActivity(KeysetCursor.longPart(key, 3), null, null, null, null,
                KeysetCursor.longPart(key, 1), 0, KeysetCursor.instantPart(key, 2), null, true, false);
        return repository.leads(days, score, pageSize + 1, windowEnd, after).map(leads -> AudiencePage.of(leads.rows(), pageSize,
                last -> cursors.encode(list, leads.windowEnd(), last.totalEvents(), last.lastActivity(), last.userId())));
    }
}
