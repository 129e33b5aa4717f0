package dev.tgregistry.ingest.relay;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** Relay mode on, pointed at the {@link StubBot} on the port shared by the relay tests; a 2 s bot timeout. */
public class RelayProfile implements QuarkusTestProfile {
    public static int botPort() {
        return StubBot.port("bot");
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("app.relay.target-url", StubBot.url(botPort()),
                "app.relay.target-secret", StubBot.SECRET,
                "app.relay.timeout", "2s");
    }
}
