package dev.tgregistry.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ceiling's statements: one array parameter per column, the same upsert rules for both row sources. */
class CeilingSqlTest {

    private static long count(String s, String part) {
        return s.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void unnestHasOneTypedArrayParameterPerColumn() {
        String users = CeilingSql.upsertUsers(CeilingSql.unnest(CeilingSql.USER_TYPES));
        assertEquals(14, CeilingSql.USER_COLUMNS.split(",").length);
        assertEquals(14, count(users, "?"));
        assertTrue(users.contains("unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::boolean[], ?::boolean[], ?::timestamptz[]"));
        assertEquals(6, count(CeilingSql.recordNames(CeilingSql.unnest(CeilingSql.NAME_TYPES)), "?"));
    }

    @Test
    void bothSourcesShareTheUpsertRules() {
        String unnest = CeilingSql.upsertUsers(CeilingSql.unnest(CeilingSql.USER_TYPES));
        String temp = CeilingSql.upsertUsers(CeilingSql.fromTemp(CeilingSql.TEMP_USERS));
        assertEquals(0, count(temp, "?"));
        String rules = unnest.substring(unnest.indexOf(" AS s ON CONFLICT"));
        assertEquals(rules, temp.substring(temp.indexOf(" AS s ON CONFLICT")));
        // the identity group follows the newest snapshot; times widen; a batch that changes nothing writes nothing
        assertEquals(7, count(rules, "THEN excluded."), "username, first_name, last_name, is_bot, is_premium, language_code, is_active");
        assertTrue(rules.contains("last_seen_at = GREATEST(u.last_seen_at, excluded.last_seen_at)"));
        assertTrue(rules.contains("first_seen_at = LEAST(u.first_seen_at, excluded.first_seen_at)"));
        assertTrue(rules.contains(" WHERE u.snapshot_at IS NULL OR excluded.snapshot_at > u.snapshot_at OR"));
        assertTrue(rules.contains("OR excluded.last_seen_at > COALESCE(u.last_seen_at, '-infinity')"));
    }

    @Test
    void tempTablesMatchTheColumns() {
        assertEquals("CREATE TEMP TABLE ceiling_names (user_id bigint, username text, first_name text, last_name text,"
                        + " first_seen_at timestamptz, last_seen_at timestamptz) ON COMMIT DELETE ROWS",
                CeilingSql.createTemp(CeilingSql.TEMP_NAMES, CeilingSql.NAME_COLUMNS, CeilingSql.NAME_TYPES));
        assertTrue(CeilingSql.recordNames(CeilingSql.fromTemp(CeilingSql.TEMP_NAMES))
                .contains("ON CONFLICT (user_id, (COALESCE(username, '')), (COALESCE(first_name, '')), (COALESCE(last_name, '')))"));
    }
}
