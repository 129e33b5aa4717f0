package dev.tgregistry.users.search;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The query's normalized form, and when the trigram index can serve its substring search. */
class SearchQueryFormTest {
    /** The folding itself is SQL's (FoldingTest); the service only turns control characters into spaces first. */
    @Test
    void sendsControlCharactersAsSpaces() {
        assertEquals("ANNA _Maria", SearchQuery.withoutControls("ANNA\t_Maria"));
        assertEquals("СЕРГЕЙ ЁЛКА  ", SearchQuery.withoutControls("СЕРГЕЙ\nЁЛКА\u001F\u0085"));
        assertEquals(42L, SearchQuery.of("42", "42").userId());
        assertNull(SearchQuery.of("99999999999999999999", "99999999999999999999").userId());
        assertFalse(SearchQuery.of("ab", "AB").substrings());
        assertTrue(SearchQuery.of("a🦊b", "A🦊B").substrings());
    }

    /** Each case checked with EXPLAIN of `search_text LIKE '%q%'` on the trigram index (no trigram: no index scan). */
    @Test
    void knowsWhenPgTrgmExtractsATrigram() {
        assertTrue(SearchQuery.hasTrigram("ale"), "a run of three");
        assertTrue(SearchQuery.hasTrigram("nǂs"), "'_' is stored as a letter");
        assertTrue(SearchQuery.hasTrigram("🦊a"), "a run whose start is known");
        assertTrue(SearchQuery.hasTrigram("ab🦊"), "two letters whose end is known");
        assertFalse(SearchQuery.hasTrigram("a🦊"), "one letter whose end only is known");
        assertFalse(SearchQuery.hasTrigram("🦊🦊"), "no letters");
        assertFalse(SearchQuery.hasTrigram("ab"), "two letters, both ends open");
    }

    /** The statements' parameters: the search_text ranges of an exact username, a username prefix and name prefixes. */
    @Test
    void mapsToTheStatementsParameters() {
        SearchQuery query = SearchQuery.of("anna", "Anna");
        var parameters = query.tierParameters();
        assertEquals("anna", parameters.getString(0));
        assertEquals("anna\n", parameters.getString(1));
        assertEquals("\nanna", parameters.getString(2));
        assertEquals("\u001Fanna", parameters.getString(3));
        assertEquals(true, parameters.getBoolean(4));
        assertNull(parameters.getLong(5));
        assertEquals("anna\u000B", query.exactUpperBound());
        assertTrue(query.prefixUpperBound().startsWith("anna") && query.prefixUpperBound().codePointAt(4) == Character.MAX_CODE_POINT);
        assertEquals(7L, SearchQuery.of("7", "7").tierParameters().getLong(5));
    }

    @Test
    void escapesLikeWildcards() {
        assertEquals("%50\\%\\\\x%", SearchQuery.of("50%\\x", "50%\\x").likeSubstring());
    }
}
