package dev.tgregistry.users.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** API.md: {@code @username}, else "first last", else {@code User <id>}; never "Unknown". */
class DisplayNameTest {

    @Test
    void usernameWins() {
        assertEquals("@anna_k", DisplayName.of(1, "anna_k", "Anna", "Karenina"));
        assertEquals("@anna_k", DisplayName.of(1, " anna_k ", null, null));
    }

    @Test
    void thenTheNamesWithoutStrayBlanks() {
        assertEquals("Anna Karenina", DisplayName.of(1, null, " Anna ", "Karenina"));
        assertEquals("Anna", DisplayName.of(1, "", "Anna", null));
        assertEquals("Karenina", DisplayName.of(1, "  ", null, "Karenina"));
        assertEquals("Karenina", DisplayName.of(1, null, " ", " Karenina"));
    }

    @Test
    void thenTheId() {
        assertEquals("User 9223372036854775807", DisplayName.of(Long.MAX_VALUE, null, null, null));
        assertEquals("User 42", DisplayName.of(42, " ", "", "\t"));
    }
}
