package dev.tgregistry.users.web;

import dev.tgregistry.localstack.StackStarter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local-development API keys have one definition, {@code k8s/overlays/dev/dev-api-keys.env}: ./run-local passes
 * it to user-service, the %dev profile says the same, and README's table states the rights this service's own key
 * parser gives them. (docker-compose.yml and the dev overlay: deploy-check's {@code DevApiKeysTest}.)
 */
class DevApiKeysTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern README_KEY = Pattern.compile("`([^`]+)` \\(([^)]*)\\)");

    @Test
    void runLocalPassesTheKeysOfTheDevEnvFile() throws IOException {
        assertEquals(load(REPO.resolve("k8s/overlays/dev/dev-api-keys.env")).getProperty("APP_API_KEYS"),
                StackStarter.DEFAULT_API_KEYS);
    }

    @Test
    void theDevProfileHasTheKeysRunLocalPasses() throws IOException {
        Properties properties = load(REPO.resolve("user-service/src/main/resources/application.properties"));
        assertEquals(StackStarter.DEFAULT_API_KEYS, properties.getProperty("%dev.app.api-keys"));
    }

    @Test
    void readmeStatesTheRightsTheServiceGivesTheKeysRunLocalPasses() throws IOException {
        ApiKeys configured = new ApiKeys(List.of(StackStarter.DEFAULT_API_KEYS.split(",")));
        Map<String, Set<String>> stated = readmeApiKeys();
        assertEquals(Set.of(StackStarter.DEFAULT_API_KEYS.replaceAll(":[^,]*", "").split(",")), stated.keySet(),
                "README names the keys ./run-local configures");
        stated.forEach((key, rights) -> assertEquals(rights,
                configured.find(key).orElseThrow(() -> new AssertionError(key + " is not configured")).rights(), key));
    }

    @Test
    void theKeyOfTheExamplesCiAndBenchmarksHasEveryRight() {
        ApiKeys configured = new ApiKeys(List.of(StackStarter.DEFAULT_API_KEYS.split(",")));
        assertEquals("dev-api-key", StackStarter.DEFAULT_API_KEY);
        assertEquals(Set.copyOf(Rights.ALL), configured.find(StackStarter.DEFAULT_API_KEY).orElseThrow().rights());
    }

    /** README's row "| API keys | `key` (right, right), ... |" as key -> rights. */
    private static Map<String, Set<String>> readmeApiKeys() throws IOException {
        String row = Files.readAllLines(REPO.resolve("README.md"), StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("| API keys |")).findFirst()
                .orElseThrow(() -> new AssertionError("README has no \"| API keys |\" row"));
        Map<String, Set<String>> keys = new LinkedHashMap<>();
        Matcher matcher = README_KEY.matcher(row);
        while (matcher.find()) {
            Set<String> rights = new HashSet<>();
            for (String right : matcher.group(2).split(",")) {
                rights.add(Rights.parse(right));
            }
            keys.put(matcher.group(1), rights);
        }
        assertTrue(!keys.isEmpty(), "no `key` (rights) in README's row: " + row);
        return keys;
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }
}
