package dev.tgregistry.users.schema;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

/**
 * Flyway holds its migration lock at session level instead of in a transaction left open for the whole run: migration
 * V14 builds indexes CONCURRENTLY, which waits for every open transaction and so would wait for that one forever.
 * (Other instances starting at the same time still wait for the lock.)
 */
@ApplicationScoped
public class SessionMigrationLock implements FlywayConfigurationCustomizer {
    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.getPluginRegister().getPlugin(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
    }
}
