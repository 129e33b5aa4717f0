package dev.tgregistry.users.schema;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * After the migrations, before the port opens: every column the code reads or writes must exist, else startup
 * stops with a message naming each missing one. (A bot once ran for a release on a schema that had silently lost
 * its profile columns, and every user had to redo onboarding.)
 */
@ApplicationScoped
public class RequiredColumns {
    private static final Logger LOG = Logger.getLogger(RequiredColumns.class);

    static final Map<String, List<String>> REQUIRED = new LinkedHashMap<>();

    static {
        REQUIRED.put("users", List.of("user_id", "username", "first_name", "last_name", "language_code", "is_bot",
                "is_premium", "is_active", "active_changed_at", "snapshot_at", "language_at", "copied_names_at",
                "first_seen_at", "last_seen_at", "updated_at", "search_text", "private_chat_since", "private_chat_seen_at",
                "unreachable_reason", "unreachable_at", "name_since"));
        REQUIRED.put("user_profiles", List.of("user_id", "onboarding_completed", "real_name", "nickname", "study_track",
                "grade_band", "grade_year", "grade_year_text", "phone", "last_activity", "attributes", "version", "created_at", "updated_at"));
        REQUIRED.put("user_profile_changes", List.of("id", "user_id", "version", "changed_at", "changed_by", "field",
                "old_value", "new_value"));
        REQUIRED.put("user_name_history", List.of("user_id", "username", "first_name", "last_name", "first_seen_at"));
        REQUIRED.put("events", List.of("id", "user_id", "event_type", "details", "created_at", "event_id", "lead_activity"));
        REQUIRED.put("bookings", List.of("id", "user_id", "username", "first_name", "course_id", "confirmed", "created_at",
                "referral_code", "discount_percent", "course_stream", "changed_at"));
        REQUIRED.put("free_lesson_registrations", List.of("id", "user_id", "username", "first_name", "email",
                "registered_at", "notification_sent", "lesson_type", "lesson_date"));
    }

    private final AgroalDataSource dataSource;

    public RequiredColumns(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    void check(@Observes @Priority(1) StartupEvent started) throws SQLException {
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The database schema lacks column(s) the code needs: " + String.join(", ", missing)
                    + ". The schema was changed outside the migrations (or a migration was edited): restore the column(s) "
                    + "from a backup or re-create them, then start again.");
        }
        LOG.debug("schema check: every required column is present");
    }

    /** Missing columns as {@code table.column}. */
    List<String> missing() throws SQLException {
        Set<String> present = new HashSet<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT table_name, column_name FROM information_schema.columns "
                     + "WHERE table_schema = current_schema() AND table_name = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("text", REQUIRED.keySet().toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    present.add(rows.getString(1) + "." + rows.getString(2));
                }
            }
        }
        List<String> missing = new ArrayList<>();
        REQUIRED.forEach((table, columns) -> columns.stream().map(column -> table + "." + column)
                .filter(column -> !present.contains(column)).forEach(missing::add));
        return missing;
    }
}
