package dev.tgregistry.users.privacy;

import java.util.List;

/**
 * Every table that holds rows of a person (by {@code user_id}), and what an erasure does with them: deleted, or kept
 * for accounting with the identifying columns removed and {@code user_id} replaced by minus the row's own id (so the
 * row links to nobody). The export reads every table listed here plus {@link #ERASURE_RECORDS}.
 * <p>To cover one more table, add one line to {@link #HOLDERS} (before {@code users}, which other tables may reference).
 */
final class PersonalData {

    /** A table holding a person's rows, and the statement that erases them ({@code $1}: the user id). */
    record Holder(String table, boolean kept, String erasure) {
        static Holder deleted(String table) {
            return new Holder(table, false, "DELETE FROM " + table + " WHERE user_id = $1");
        }

        static Holder anonymized(String table, String identifyingColumns) {
            String cleared = String.join(" = NULL, ", identifyingColumns.split(",\\s*")) + " = NULL";
            return new Holder(table, true, "UPDATE " + table + " SET user_id = -id, " + cleared + " WHERE user_id = $1");
        }
    }

    static final List<Holder> HOLDERS = List.of(
            // the event summary (V18) before the events, whose deletion would otherwise recount it to nothing
            Holder.deleted("user_event_summary"),
            Holder.deleted("events"),
            Holder.deleted("user_name_history"),
            Holder.anonymized("bookings", "username, first_name"),
            Holder.anonymized("free_lesson_registrations", "username, first_name, email"),
            Holder.deleted("booking_admin_edits"),
            Holder.deleted("rollup_lesson_clickers"),
            Holder.deleted("user_profile_changes"),
            Holder.deleted("profile_attribute_values"),
            // the report of migration V14 (a nickname cleared because it folds equal to an older claim): both sides
            new Holder("nickname_fold_conflicts", false,
                    "DELETE FROM nickname_fold_conflicts WHERE user_id = $1 OR kept_by_user_id = $1"),
            Holder.deleted("user_profiles"),
            Holder.deleted("users"));

    /** Tables that keep the user id to honour and prove an erasure: exported, never erased. */
    static final List<String> ERASURE_RECORDS = List.of("erased_users", "audit_log");

    private PersonalData() {
    }
}
