package dev.tgregistry.web;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.json.Json;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * {@code GET /q/info} on the management port: which build this is, the service's version and the Git commit it was
 * built from (written at build time by git-commit-id-maven-plugin as {@code META-INF/build/<name>-git.properties}).
 * Shaped like Quarkus' quarkus-info ({@code build.version}, {@code git.commit.id}), which is not published for this
 * Quarkus version.
 */
@Singleton
public class BuildInfo {
    public static final String PATH = "/q/info";

    private final String body;

    public BuildInfo(@ConfigProperty(name = "quarkus.application.name") String name,
                     @ConfigProperty(name = "quarkus.application.version") String version) {
        Properties git = gitProperties(name);
        Map<String, Object> commit = new LinkedHashMap<>();
        commit.put("id", git.getProperty("git.commit.id", "unknown"));
        commit.put("time", git.getProperty("git.commit.time", "unknown"));
        Map<String, Object> gitInfo = new LinkedHashMap<>();
        gitInfo.put("commit", commit);
        gitInfo.put("dirty", Boolean.parseBoolean(git.getProperty("git.dirty", "false")));
        Map<String, Object> build = new LinkedHashMap<>();
        build.put("artifact", name);
        build.put("version", version);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("build", build);
        info.put("git", gitInfo);
        this.body = Json.encode(info);
    }

    void install(@Observes ManagementInterface management) {
        management.router().get(PATH).handler(context -> context.response()
                .putHeader("Content-Type", "application/json").end(body));
    }

    private static Properties gitProperties(String name) {
        Properties properties = new Properties();
        try (InputStream in = Thread.currentThread().getContextClassLoader()
                .getResourceAsStream("META-INF/build/" + name + "-git.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
