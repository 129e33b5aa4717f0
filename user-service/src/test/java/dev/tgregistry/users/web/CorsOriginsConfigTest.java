package dev.tgregistry.users.web;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How application.properties turns {@code APP_CORS_ORIGINS} into Quarkus' list of allowed origins: set but empty (what
 * the prod overlay ships) lists none, as when it is absent; a value is split at commas. The running filter:
 * {@link CorsTest}, {@link CorsOffByDefaultTest}.
 */
class CorsOriginsConfigTest {
    private static final String ORIGINS = "quarkus.http.cors.origins";

    @Test
    void originsAreCommaSeparatedAndEmptyListsNoneAsAbsentDoes() throws IOException {
        assertEquals(Optional.of(List.of("https://dash.example.com", "http://localhost:3000")),
                origins(Map.of("APP_CORS_ORIGINS", "https://dash.example.com,http://localhost:3000")));
        assertEquals(Optional.empty(), origins(Map.of("APP_CORS_ORIGINS", "")));
        assertEquals(Optional.empty(), origins(Map.of()));
    }

    private static Optional<List<String>> origins(Map<String, String> environment) throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(new EnvConfigSource(environment, 300))
                .withSources(new PropertiesConfigSource(
                        Path.of("src/main/resources/application.properties").toUri().toURL(), 250))
                .build();
        return config.getOptionalValues(ORIGINS, String.class);
    }
}
