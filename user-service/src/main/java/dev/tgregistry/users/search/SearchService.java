package dev.tgregistry.users.search;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Fills a page tier by tier (see {@link SearchRepository}). Each tier is first looked for among the most
 * recently seen users, which answers common names from one small index range; only a tier too rare for that
 * window is searched over the whole table through its own index.
 */
@ApplicationScoped
public class SearchService {
    public static final int MAX_QUERY_LENGTH = 64;
    public static final int MAX_LIMIT = 50;
    /** Below this length a substring needs a full scan (no trigram); such queries match exact and prefix only. */
    static final int MIN_SUBSTRING_LENGTH = 3;
    /** How many of the most recently seen users the first look covers. */
    static final int RECENT_WINDOW = 3_000;
    private static final int LAST_TIER = 3;

    private final SearchRepository repository;

    public SearchService(SearchRepository repository) {
        this.repository = repository;
    }

    /** @param query already trimmed, without a leading {@code @}, not empty */
    public Uni<List<SearchHit>> search(String query, int limit) {
        boolean substrings = query.codePointCount(0, query.length()) >= MIN_SUBSTRING_LENGTH;
        SearchRepository.Terms terms = new SearchRepository.Terms(query, escapeLike(query),
                escapeLike(query.split("\\s+", 2)[0]), asUserId(query), substrings);
        // tier 0 (exact username or id) is a point lookup: always over the whole table
        return repository.wholeTier(0, terms, new Long[0], limit).chain(exact -> {
            List<SearchHit> page = new ArrayList<>(exact);
            if (page.size() >= limit) {
                return Uni.createFrom().item(page);
            }
            return repository.recentMatches(terms, ids(page), limit, RECENT_WINDOW)
                    .chain(recent -> fill(page, 1, recent, terms, limit, substrings ? LAST_TIER : LAST_TIER - 1));
        });
    }

    private Uni<List<SearchHit>> fill(List<SearchHit> page, int tier, List<SearchHit> recent, SearchRepository.Terms terms,
                                      int limit, int lastTier) {
        if (page.size() >= limit || tier > lastTier) {
            return Uni.createFrom().item(page);
        }
        int wanted = limit - page.size();
        List<SearchHit> inWindow = recent.stream().filter(hit -> hit.tier() == tier).limit(wanted).toList();
        if (inWindow.size() == wanted) {
            page.addAll(inWindow);
            return Uni.createFrom().item(page);
        }
        return repository.wholeTier(tier, terms, ids(page), wanted).chain(whole -> {
            page.addAll(whole);
            return fill(page, tier + 1, recent, terms, limit, lastTier);
        });
    }

    private static Long[] ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::userId).toArray(Long[]::new);
    }

    static String escapeLike(String query) {
        return query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** The query as a user id when it is one (digits that fit in 64 bits), else null. */
    private static Long asUserId(String query) {
        if (query.length() > 19 || !query.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        try {
            return Long.parseLong(query);
        } catch (NumberFormatException beyondLongRange) {
            return null;
        }
    }
}
