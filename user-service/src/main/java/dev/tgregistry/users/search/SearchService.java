package dev.tgregistry.users.search;

import dev.tgregistry.users.search.SearchRepository.FormerMatch;
import dev.tgregistry.users.search.SearchRepository.Hit;
import dev.tgregistry.users.search.SearchRepository.Match;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Fills a page tier by tier (see {@link SearchRepository}). The first look finds the exact match over the whole
 * table and every tier among the most recently seen users ({@link RecentWindow}): a tier with enough matches
 * there is complete, since everyone outside is older. Only a tier too rare for the window is read over the
 * whole table, through the index that finds its candidates, which for a rare tier are few: a range of a prefix
 * index for tiers 1 and 2, the trigram index for substrings. Only a page that current names and ids do not fill
 * looks at former names (name history), and those hits come after every current one.
 */
@ApplicationScoped
public class SearchService {
    public static final int MAX_QUERY_LENGTH = 64;
    public static final int MAX_LIMIT = 50;

    private final SearchRepository repository;
    private final RecentWindow window;

    public SearchService(SearchRepository repository, RecentWindow window) {
        this.repository = repository;
        this.window = window;
    }

    /** @param rawQuery already trimmed, without a leading {@code @}, not empty */
    public Uni<List<SearchHit>> search(String rawQuery, int limit) {
        return repository.fold(SearchQuery.withoutControls(rawQuery)).chain(folded -> folded.isBlank()
                // only characters the folding removes (ZWNJ, tatweel, diacritics) or spaces: nothing to look for
                ? Uni.createFrom().item(List.<SearchHit>of())
                : search(SearchQuery.of(folded, rawQuery), limit));
    }

    private Uni<List<SearchHit>> search(SearchQuery query, int limit) {
        return window.start()
                .chain(start -> repository.firstLook(query, limit, start))
                .chain(found -> {
                    Map<Integer, List<Long>> byTier = found.stream().collect(Collectors.groupingBy(Match::tier,
                            Collectors.mapping(Match::userId, Collectors.toList())));
                    List<Long> page = new ArrayList<>(byTier.getOrDefault(SearchTier.EXACT, List.of()));
                    return fill(query, limit, page, byTier, SearchTier.USERNAME_PREFIX);
                })
                .chain(page -> page.size() >= limit ? Uni.createFrom().item(new Found(page, List.of()))
                        : repository.formerNames(query, page.toArray(Long[]::new), limit - page.size())
                                .map(former -> new Found(page, former)))
                .chain(found -> hitsInOrder(query, found));
    }

    /** Users matched by their current names or id, in order, then users matched by a former name only. */
    private record Found(List<Long> current, List<FormerMatch> former) {
    }

    private Uni<List<Long>> fill(SearchQuery query, int limit, List<Long> page, Map<Integer, List<Long>> inWindow, int tier) {
        int lastTier = query.substrings() ? SearchTier.SUBSTRING : SearchTier.NAME_PREFIX;
        if (page.size() >= limit || tier > lastTier) {
            return Uni.createFrom().item(page);
        }
        int wanted = limit - page.size();
        List<Long> recent = inWindow.getOrDefault(tier, List.of());
        if (recent.size() >= wanted) {
            page.addAll(recent.subList(0, wanted));
            return Uni.createFrom().item(page);
        }
        Long[] placed = page.toArray(Long[]::new);
        Uni<List<Match>> rest = switch (tier) {
            case SearchTier.USERNAME_PREFIX -> repository.usernamePrefixes(query, placed, wanted);
            case SearchTier.NAME_PREFIX -> repository.namePrefixes(query, placed, wanted);
            default -> query.indexable() ? repository.substrings(query, placed, wanted)
                    : repository.substringsByWalk(query, placed, wanted);
        };
        return rest.chain(matches -> fill(query, limit, append(page, matches), inWindow, tier + 1));
    }

    private static List<Long> append(List<Long> page, List<Match> matches) {
        matches.forEach(match -> page.add(match.userId()));
        return page;
    }

    private Uni<List<SearchHit>> hitsInOrder(SearchQuery query, Found found) {
        if (found.current().isEmpty() && found.former().isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Long> ids = new ArrayList<>(found.current());
        found.former().forEach(former -> ids.add(former.userId()));
        return repository.hits(ids, query).map(hits -> {
            Map<Long, Hit> byId = hits.stream().collect(Collectors.toMap(hit -> hit.user().userId(), Function.identity()));
            List<SearchHit> page = new ArrayList<>(ids.size());
            found.current().stream().map(byId::get).filter(Objects::nonNull)
                    .forEach(hit -> page.add(hit.user().matchedNow(query, hit.usernameMatches(), hit.nameMatches())));
            for (FormerMatch former : found.former()) {
                Hit hit = byId.get(former.userId());
                if (hit != null) {
                    page.add(hit.user().matchedFormerly(former));
                }
            }
            return page;
        });
    }
}
