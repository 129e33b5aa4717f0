package dev.tgregistry.ingest.relay;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * In relay mode Kafka is off the bot's path, so its outage must not take bot-ingest out of the Service (Telegram
 * would then reach nobody and the bot would go silent): the producer channel's readiness check is turned off. An
 * explicit {@code mp.messaging.outgoing.records-out.health-readiness-enabled} (environment, application.properties)
 * still wins: this source's ordinal is below both. Registered in META-INF/services.
 */
public class RelayReadiness implements ConfigSourceFactory {
    static final String READINESS = "mp.messaging.outgoing.records-out.health-readiness-enabled";
    private static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue target = context.getValue("app.relay.target-url");
        if (target == null || target.getValue() == null || target.getValue().isBlank()) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(Map.of(READINESS, "false"), "relay mode: Kafka outside readiness", ORDINAL));
    }
}
