package dev.tgregistry.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * user-service's local-development API keys ({@code APP_API_KEYS}) from their one definition,
 * {@code k8s/overlays/dev/dev-api-keys.env}, which the build copies onto this module's classpath; docker-compose.yml
 * and the dev overlay read the same file.
 */
final class DevApiKeys {
    private static final String RESOURCE = "/dev-api-keys.env";

    private DevApiKeys() {
    }

    /** The value of {@code APP_API_KEYS}: {@code key:right+right,...}. */
    static String setting() {
        Properties env = new Properties();
        try (InputStream in = DevApiKeys.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from local-stack's classpath");
            }
            env.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String keys = env.getProperty(ServiceEnv.APP_API_KEYS);
        if (keys == null || keys.isBlank()) {
            throw new IllegalStateException(RESOURCE + " sets no " + ServiceEnv.APP_API_KEYS);
        }
        return keys.strip();
    }

    /** The first key of {@code setting} without its rights. */
    static String firstKey(String setting) {
        String first = setting.split(",", 2)[0].strip();
        int colon = first.lastIndexOf(':');
        return colon < 0 ? first : first.substring(0, colon);
    }
}
