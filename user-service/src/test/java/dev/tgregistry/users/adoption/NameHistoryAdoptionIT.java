package dev.tgregistry.users.adoption;

import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;

import static dev.tgregistry.users.adoption.LegacyAdoptionIT.fixture;
import static dev.tgregistry.users.adoption.LegacyAdoptionIT.number;
import static dev.tgregistry.users.adoption.LegacyAdoptionIT.run;
import static dev.tgregistry.users.adoption.LegacyAdoptionIT.text;
import static dev.tgregistry.users.adoption.LegacyAdoptionIT.time;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adoption backfills name history (V11) from the bot's bookings, registrations and events.details, so renames from
 * before the registry are in the names endpoint, "who was @x" and search; re-running the backfill changes nothing.
 */
class NameHistoryAdoptionIT {

    @Test
    void renamesFromBeforeTheRegistryAreHistory() throws Exception {
        String database = "legacy_names";
        ServiceProcess.freshDatabase(database);
        try (Connection db = ServiceProcess.connect(database)) {
            run(db, fixture("bot_tables"));
            run(db, fixture("renames"));

            try (ServiceProcess service = ServiceProcess.start(database, database, Map.of())) {
                service.awaitReady(Duration.ofSeconds(120));
                assertTrue(service.log().contains("name history backfill"), "backfill progress is logged");

                assertEquals("new_handle", text(db, "SELECT username FROM users WHERE user_id = 3001"));
                assertEquals(2L, number(db, "SELECT count(*) FROM user_name_history WHERE user_id = 3001"));
                assertEquals(OffsetDateTime.parse("2025-01-10T10:00:00Z").toInstant(),
                        time(db, "SELECT first_seen_at FROM user_name_history WHERE user_id = 3001 AND username = 'old_handle'"));
                assertEquals(OffsetDateTime.parse("2025-02-01T10:00:00Z").toInstant(),
                        time(db, "SELECT last_seen_at FROM user_name_history WHERE user_id = 3001 AND username = 'old_handle'"));
                assertEquals(OffsetDateTime.parse("2025-03-05T10:00:00Z").toInstant(),
                        time(db, "SELECT last_seen_at FROM user_name_history WHERE user_id = 3001 AND username = 'new_handle'"));
                // a user without renames has one name: the registration's copy
                assertEquals(1L, number(db, "SELECT count(*) FROM user_name_history WHERE user_id = 1002"));

                String names = service.get("/api/users/3001/names").body();
                assertTrue(names.matches("(?s).*\"username\":\"old_handle\".*\"current\":false.*\"username\":\"new_handle\".*\"current\":true.*"), names);
                String holders = service.get("/api/users/lookup?username=old_handle&at=" + encode("2025-01-20T00:00:00Z")).body();
                assertTrue(holders.contains("\"user_id\":\"3001\"") && holders.contains("\"current_username\":\"new_handle\""), holders);
                String hits = service.get("/api/users/search?q=old_handle").body();
                assertTrue(hits.contains("\"user_id\":\"3001\"") && hits.contains("\"matched_former\":true"), hits);

                String before = text(db, "SELECT string_agg(row_to_json(h)::text, E'\\n' ORDER BY user_id, username, first_name) FROM user_name_history h");
                run(db, "CALL registry_backfill_name_history(3)"); // small chunks: many commits
                assertEquals(before, text(db, "SELECT string_agg(row_to_json(h)::text, E'\\n' ORDER BY user_id, username, first_name) FROM user_name_history h"),
                        "re-running the backfill changes nothing");
            }
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
