package dev.tgregistry.users.search;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class SearchService {
    public static final int MAX_QUERY_LENGTH = 64;
    public static final int MAX_LIMIT = 50;
    /** Below this length a substring needs a full scan (no trigram); such queries match exact and prefix only. */
    static final int MIN_SUBSTRING_LENGTH = 3;

    private final SearchRepository repository;

    public SearchService(SearchRepository repository) {
        this.repository = repository;
    }

    /** @param query already trimmed, without a leading {@code @}, not empty */
    public Uni<List<SearchHit>> search(String query, int limit) {
        String escaped = escapeLike(query);
        Long numericId = asUserId(query);
        String firstWord = escapeLike(query.split("\\s+", 2)[0]);
        return repository.prefixMatches(query, escaped, firstWord, numericId, limit).chain(prefix -> {
            if (prefix.size() >= limit || query.codePointCount(0, query.length()) < MIN_SUBSTRING_LENGTH) {
                return Uni.createFrom().item(prefix);
            }
            Long[] found = prefix.stream().map(SearchHit::userId).toArray(Long[]::new);
            return repository.substringMatches(escaped, found, limit - prefix.size()).map(rest -> {
                List<SearchHit> all = new ArrayList<>(prefix);
                all.addAll(rest);
                return all;
            });
        });
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
