package dev.tgregistry.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretsTest {
    private final byte[] expected = Secrets.bytes("s3cret-کلید");

    @Test
    void theSameTextMatches() {
        assertTrue(Secrets.matches(expected, "s3cret-کلید"));
    }

    @Test
    void anythingElseDoesNot() {
        assertFalse(Secrets.matches(expected, (String) null));
        assertFalse(Secrets.matches(expected, ""));
        assertFalse(Secrets.matches(expected, "s3cret-"));
        assertFalse(Secrets.matches(expected, "S3cret-کلید"));
        assertFalse(Secrets.matches(expected, "s3cret-کلید "));
    }

    @Test
    void anEncodedCandidateComparesTheSame() {
        assertTrue(Secrets.matches(expected, Secrets.bytes("s3cret-کلید")));
        assertFalse(Secrets.matches(expected, Secrets.bytes("s3cret-")));
    }
}
