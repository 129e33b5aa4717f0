package dev.tgregistry.bench;

/**
 * The ceiling's statements: user-service's set-based upsert of a batch ({@code UserWriter.UPSERT_USERS} and
 * {@code RECORD_NAMES}, same columns, same ON CONFLICT rules), written for JDBC and for two row sources: unnest of
 * array parameters, or a temporary table filled by COPY.
 */
final class CeilingSql {
    static final String USER_COLUMNS = "user_id, username, first_name, last_name, is_bot, is_premium, snapshot_at,"
            + " language_code, language_at, is_active, active_changed_at, first_seen_at, last_seen_at, private_chat_since";
    static final String[] USER_TYPES = {"bigint", "text", "text", "text", "boolean", "boolean", "timestamptz", "text",
            "timestamptz", "boolean", "timestamptz", "timestamptz", "timestamptz", "timestamptz"};
    static final String NAME_COLUMNS = "user_id, username, first_name, last_name, first_seen_at, last_seen_at";
    static final String[] NAME_TYPES = {"bigint", "text", "text", "text", "timestamptz", "timestamptz"};
    static final String TEMP_USERS = "ceiling_users";
    static final String TEMP_NAMES = "ceiling_names";

    private static final String FRESHER = "u.snapshot_at IS NULL OR excluded.snapshot_at > u.snapshot_at";

    private CeilingSql() {
    }

    /** {@code unnest(?::bigint[], ?::text[], ...)}: one array parameter per column. */
    static String unnest(String[] types) {
        StringBuilder sb = new StringBuilder("unnest(");
        for (int i = 0; i < types.length; i++) {
            sb.append(i == 0 ? "" : ", ").append("?::").append(types[i]).append("[]");
        }
        return sb.append(')').toString();
    }

    /** A temporary table with the given columns, emptied at every commit. */
    static String createTemp(String table, String columns, String[] types) {
        String[] names = columns.split(",\\s*");
        StringBuilder sb = new StringBuilder("CREATE TEMP TABLE ").append(table).append(" (");
        for (int i = 0; i < names.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(names[i]).append(' ').append(types[i]);
        }
        return sb.append(") ON COMMIT DELETE ROWS").toString();
    }

    static String fromTemp(String table) {
        return "(SELECT * FROM " + table + ")";
    }

    static String upsertUsers(String source) {
        return "INSERT INTO users AS u (" + USER_COLUMNS + ", updated_at) SELECT s.*, now() FROM " + source + " AS s"
                + " ON CONFLICT (user_id) DO UPDATE SET"
                + " username = " + fresher("username") + ", first_name = " + fresher("first_name")
                + ", last_name = " + fresher("last_name") + ", is_bot = " + fresher("is_bot")
                + ", is_premium = " + fresher("is_premium")
                + ", snapshot_at = GREATEST(u.snapshot_at, excluded.snapshot_at)"
                + ", language_code = CASE WHEN excluded.language_at > COALESCE(u.language_at, '-infinity')"
                + " THEN excluded.language_code ELSE u.language_code END"
                + ", language_at = GREATEST(u.language_at, excluded.language_at)"
                + ", is_active = CASE WHEN excluded.active_changed_at > COALESCE(u.active_changed_at, '-infinity')"
                + " THEN excluded.is_active ELSE u.is_active END"
                + ", active_changed_at = GREATEST(u.active_changed_at, excluded.active_changed_at)"
                + ", first_seen_at = LEAST(u.first_seen_at, excluded.first_seen_at)"
                + ", last_seen_at = GREATEST(u.last_seen_at, excluded.last_seen_at)"
                + ", private_chat_since = LEAST(u.private_chat_since, excluded.private_chat_since)"
                + ", updated_at = now()"
                + " WHERE " + FRESHER
                + " OR excluded.language_at > COALESCE(u.language_at, '-infinity')"
                + " OR excluded.active_changed_at > COALESCE(u.active_changed_at, '-infinity')"
                + " OR excluded.first_seen_at < COALESCE(u.first_seen_at, 'infinity')"
                + " OR excluded.last_seen_at > COALESCE(u.last_seen_at, '-infinity')"
                + " OR excluded.private_chat_since < COALESCE(u.private_chat_since, 'infinity')";
    }

    static String recordNames(String source) {
        return "INSERT INTO user_name_history AS h (" + NAME_COLUMNS + ") SELECT * FROM " + source + " AS s"
                + " ON CONFLICT (user_id, (COALESCE(username, '')), (COALESCE(first_name, '')), (COALESCE(last_name, '')))"
                + " DO UPDATE SET first_seen_at = LEAST(h.first_seen_at, excluded.first_seen_at),"
                + " last_seen_at = GREATEST(h.last_seen_at, excluded.last_seen_at)"
                + " WHERE excluded.first_seen_at < h.first_seen_at OR excluded.last_seen_at > h.last_seen_at";
    }

    private static String fresher(String column) {
        return "CASE WHEN " + FRESHER + " THEN excluded." + column + " ELSE u." + column + " END";
    }
}
