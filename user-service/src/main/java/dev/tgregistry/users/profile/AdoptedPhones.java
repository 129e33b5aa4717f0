package dev.tgregistry.users.profile;

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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Phones taken over from an adopted table (V7 copies them as written) are normalised to E.164 the way the API
 * does it, once they parse, at startup before the port opens; each change goes to the change log as
 * {@code changed_by = 'adoption'}. Phones the API wrote are already normalised, so usually nothing is read.
 */
@ApplicationScoped
public class AdoptedPhones {
    private static final Logger LOG = Logger.getLogger(AdoptedPhones.class);
    static final String NOT_E164 = "SELECT user_id, phone FROM user_profiles WHERE phone IS NOT NULL AND phone !~ '^\\+[0-9]+$'";
    static final String NORMALISE = "WITH changed AS (UPDATE user_profiles SET phone = ?, version = version + 1, updated_at = now() "
            + "WHERE user_id = ? AND phone = ? RETURNING user_id, version) "
            + "INSERT INTO user_profile_changes (user_id, version, changed_at, changed_by, field, old_value, new_value) "
            + "SELECT user_id, version, now(), 'adoption', 'phone', to_jsonb(?::text), to_jsonb(?::text) FROM changed";

    private final AgroalDataSource dataSource;
    private final PhoneNumbers phones;

    public AdoptedPhones(AgroalDataSource dataSource, PhoneNumbers phones) {
        this.dataSource = dataSource;
        this.phones = phones;
    }

    void normalise(@Observes @Priority(2) StartupEvent started) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Map<Long, String> written = new LinkedHashMap<>();
            try (PreparedStatement query = connection.prepareStatement(NOT_E164); ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    written.put(rows.getLong(1), rows.getString(2));
                }
            }
            int changed = 0;
            try (PreparedStatement update = connection.prepareStatement(NORMALISE)) {
                for (Map.Entry<Long, String> phone : written.entrySet()) {
                    String normalised = phones.normalise(phone.getValue());
                    if (!normalised.equals(phone.getValue())) {
                        update.setString(1, normalised);
                        update.setLong(2, phone.getKey());
                        update.setString(3, phone.getValue());
                        update.setString(4, phone.getValue());
                        update.setString(5, normalised);
                        changed += update.executeUpdate();
                    }
                }
            }
            if (changed > 0) {
                LOG.infof("profiles: %d adopted phone numbers normalised to E.164", changed);
            }
        }
    }
}
