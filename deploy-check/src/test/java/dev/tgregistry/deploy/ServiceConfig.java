package dev.tgregistry.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service reads from the environment in the prod profile, from its {@code application.properties}: the
 * {@code ${NAME}} and {@code ${NAME:default}} expressions, and the env-var form of every property (SmallRye Config
 * maps {@code app.search.recent-window} to {@code APP_SEARCH_RECENT_WINDOW}); {@code defaults}: the default of each
 * {@code ${NAME:default}}.
 */
record ServiceConfig(String service, Set<String> required, Set<String> readable, Map<String, String> defaults) {
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:[^}]*)?}");
    /** read by the JVM itself, not by the application's configuration */
    private static final Set<String> JVM = Set.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");

    static ServiceConfig of(String service) throws IOException {
        Properties properties = new Properties();
        Path file = Kustomize.REPO.resolve(service + "/src/main/resources/application.properties");
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Set<String> required = new TreeSet<>();
        Set<String> readable = new TreeSet<>(JVM);
        Map<String, String> defaults = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!appliesToProd(key)) {
                continue;
            }
            String name = key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key;
            readable.add(envName(name));
            Matcher matcher = EXPRESSION.matcher(properties.getProperty(key));
            while (matcher.find()) {
                readable.add(matcher.group(1));
                if (matcher.group(2) == null) {
                    required.add(matcher.group(1));
                } else {
                    defaults.put(matcher.group(1), matcher.group(2).substring(1));
                }
            }
        }
        return new ServiceConfig(service, required, readable, defaults);
    }

    /** Quarkus' own settings are read under their env-var names whether or not application.properties sets them. */
    boolean reads(String env) {
        return readable.contains(env) || env.startsWith("QUARKUS_");
    }

    private static boolean appliesToProd(String key) {
        if (!key.startsWith("%")) {
            return true;
        }
        return Set.of(key.substring(1, key.indexOf('.')).split(",")).contains("prod");
    }

    private static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
