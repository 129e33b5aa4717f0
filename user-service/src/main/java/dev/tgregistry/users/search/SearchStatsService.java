package dev.tgregistry.users.search;

import dev.tgregistry.users.booking.StreamCatalog;
import dev.tgregistry.users.user.HackathonRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

@ApplicationScoped
public class SearchStatsService {
    private final SearchStatsRepository repository;
    private final StreamCatalog streams;
    private final HackathonRepository hackathon;

    public SearchStatsService(SearchStatsRepository repository, StreamCatalog streams, HackathonRepository hackathon) {
        this.repository = repository;
        this.streams = streams;
        this.hackathon = hackathon;
    }

    public Uni<SearchStats> stats() {
        return Uni.combine().all()
                .unis(repository.totals(), repository.confirmedPerStream(), streams.validStreams(), hackathon.count())
                .with((totals, perStream, valid, hackathonUsers) -> {
                    Map<String, Long> streamStats = new LinkedHashMap<>();
                    valid.forEach(stream -> streamStats.put(stream, perStream.getOrDefault(stream, 0L)));
                    return new SearchStats(totals.totalUsers(), totals.indexSize(), streamStats.size(), streamStats,
                            totals.nonCourse(), hackathonUsers, true, Instant.now());
                });
    }
}
