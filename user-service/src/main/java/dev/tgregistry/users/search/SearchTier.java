package dev.tgregistry.users.search;

/**
 * How a user matched a search, best first (API.md's ranking); the SQL computes the tier of a row with these numbers
 * ({@link SearchRepository#TIER_OF_ROW}) and the service fills a page tier by tier.
 */
final class SearchTier {
    /** The exact username, or the query is the user id. */
    static final int EXACT = 0;
    static final int USERNAME_PREFIX = 1;
    /** A first-name, "first last" or last-name prefix. */
    static final int NAME_PREFIX = 2;
    /** A substring anywhere (queries of 3+ characters only). */
    static final int SUBSTRING = 3;

    private SearchTier() {
    }
}
