package dev.tgregistry.users.search;

import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A search query in the form of {@code users.search_text}: folded by PostgreSQL's {@code registry.search_fold}
 * (migration V14, the one definition of the folding; see {@link SearchRepository#fold}), so the service never
 * re-implements case mapping or any other rule of it. Before that, control characters (search_text's separators
 * among them) become spaces, so that no match spans two parts of search_text.
 *
 * @param text       the folded query
 * @param substrings whether substrings count (3+ characters; shorter ones match exact and prefixes only)
 * @param indexable  whether the trigram index can narrow a substring search for it (see {@link #hasTrigram})
 * @param userId     the query as a user id when it is one, else null
 */
public record SearchQuery(String text, boolean substrings, boolean indexable, Long userId) {
    static final int MIN_SUBSTRING_LENGTH = 3;
    /** search_text's separator before the repeated last name. */
    static final String LAST_NAME_SEPARATOR = "\u001F";
    /** search_text separates the username from the names with a newline; this is the next code point. */
    private static final String AFTER_NEWLINE = "\u000B";
    /** The largest code point: every text starting with the query sorts below query + this (byte order). */
    private static final String MAX_CODE_POINT = new String(Character.toChars(Character.MAX_CODE_POINT));

    /** The query as it is sent to be folded: control characters as spaces. */
    public static String withoutControls(String query) {
        StringBuilder text = new StringBuilder(query.length());
        query.codePoints().forEach(cp -> text.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return text.toString();
    }

    /**
     * @param folded {@code registry.search_fold(withoutControls(query))}
     * @param query  the query as typed (a user id when it is digits)
     */
    public static SearchQuery of(String folded, String query) {
        return new SearchQuery(folded, folded.codePointCount(0, folded.length()) >= MIN_SUBSTRING_LENGTH,
                hasTrigram(folded), asUserId(query));
    }

    /** $1..$6 of every search statement, in the order SearchRepository.TIER_OF_ROW uses them. */
    Tuple tierParameters() {
        return Tuple.of(text, text + "\n", "\n" + text, LAST_NAME_SEPARATOR + text, substrings, userId);
    }

    /** Upper bound of the search_text range holding exactly this username (the lower bound is $2). */
    String exactUpperBound() {
        return text + AFTER_NEWLINE;
    }

    /** Upper bound of the search_text range of usernames starting with the query. */
    String prefixUpperBound() {
        return text + MAX_CODE_POINT;
    }

    String likeSubstring() {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%") + "%";
    }

    /**
     * Whether pg_trgm extracts at least one trigram from {@code %text%}: it only sees runs of letters and digits,
     * and pads a run with two spaces where it is known to start (after another character of the query) and one
     * where it is known to end. Without a trigram the index would match every row.
     */
    public static boolean hasTrigram(String text) {
        int[] cps = text.codePoints().toArray();
        for (int start = 0; start < cps.length; start++) {
            if (!Character.isLetterOrDigit(cps[start]) || (start > 0 && Character.isLetterOrDigit(cps[start - 1]))) {
                continue;
            }
            int end = start;
            while (end < cps.length && Character.isLetterOrDigit(cps[end])) {
                end++;
            }
            int length = end - start;
            boolean startKnown = start > 0;
            boolean endKnown = end < cps.length;
            if (length >= 3 || startKnown || (endKnown && length >= 2)) {
                return true;
            }
        }
        return false;
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
