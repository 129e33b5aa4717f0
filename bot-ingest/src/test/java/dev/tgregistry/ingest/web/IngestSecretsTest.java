package dev.tgregistry.ingest.web;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** APP_INGEST_SECRET may hold two secrets at once while one is rotated; each is accepted, nothing else. */
class IngestSecretsTest {
    @Test
    void eachListedSecretIsAcceptedAndNothingElse() {
        List<byte[]> secrets = IngestSecretFilter.parse("old-Secret_1, new-Secret_2");
        assertEquals(2, secrets.size());
        assertTrue(IngestSecretFilter.accepted(secrets, "old-Secret_1"));
        assertTrue(IngestSecretFilter.accepted(secrets, "new-Secret_2"));
        assertFalse(IngestSecretFilter.accepted(secrets, "old-Secret_1,new-Secret_2"));
        assertFalse(IngestSecretFilter.accepted(secrets, "new-Secret_"));
        assertFalse(IngestSecretFilter.accepted(secrets, ""));
        assertFalse(IngestSecretFilter.accepted(secrets, null));
    }

    @Test
    void oneSecretWorksAsBeforeAndAnEmptyListIsRefused() {
        List<byte[]> one = IngestSecretFilter.parse("dev-ingest-secret");
        assertTrue(IngestSecretFilter.accepted(one, "dev-ingest-secret"));
        assertFalse(IngestSecretFilter.accepted(one, "dev-ingest-secre"));
        assertEquals(1, IngestSecretFilter.parse("a,,").size());
        assertThrows(IllegalArgumentException.class, () -> IngestSecretFilter.parse(" , "));
    }
}
