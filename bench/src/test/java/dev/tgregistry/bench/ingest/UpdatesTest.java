package dev.tgregistry.bench.ingest;

import dev.tgregistry.bench.generate.Names;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.model.RecordJson;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The only test of this module: the generated request bodies are valid Telegram updates; usernames are unique. */
class UpdatesTest {

    @Test
    void batchIsAJsonArrayOfMessageUpdatesWithDistinctUsers() throws Exception {
        byte[] body = Updates.batch(new Names(1), 10, 5_000_000_000L, 200, 1_763_634_900L);
        JsonNode root = RecordJson.MAPPER.readTree(body);
        assertTrue(root.isArray());
        assertEquals(200, root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode u = root.get(i);
            assertEquals(10 + i, u.get("update_id").asLong());
            JsonNode from = u.get("message").get("from");
            assertEquals(5_000_000_000L + i, from.get("id").asLong());
            assertNotNull(from.get("first_name"), "a live Telegram user always has a first name");
            assertFalse(from.get("is_bot").asBoolean());
        }
    }

    @Test
    void usernamesAreUniqueIgnoringCase() {
        Names names = new Names(2);
        Set<String> seen = new HashSet<>();
        int nameless = 0;
        for (int i = 0; i < 20_000; i++) {
            Names.Person p = names.storedUser();
            if (p.username() != null) {
                assertTrue(seen.add(p.username().toLowerCase(Locale.ROOT)), p.username());
            }
            if (p.firstName() == null && p.username() == null) {
                nameless++;
            }
        }
        assertTrue(nameless > 100 && nameless < 1000, "about 2% without any name, got " + nameless);
    }
}
