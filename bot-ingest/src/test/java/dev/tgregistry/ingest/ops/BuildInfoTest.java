package dev.tgregistry.ingest.ops;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tgregistry.localstack.Urls.at;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /q/info on the management port names the Maven version and the commit of this checkout; the access log is off. */
@QuarkusTest
class BuildInfoTest {
    @TestHTTPResource(value = "", management = true)
    URL management;

    @Test
    void infoNamesTheVersionAndTheCommitOnTheManagementPortOnly() throws Exception {
        JsonPath info = given().get(at(management, "/info")).then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
        assertEquals("bot-ingest", info.getString("build.artifact"));
        assertEquals(mavenVersion(), info.getString("build.version"));
        String commit = info.getString("git.commit.id");
        String head = head();
        // a build from a source tree without .git cannot know its commit, and says so
        assertEquals(head == null ? "unknown" : head, commit, "the commit this checkout is at");
        assertNotEquals(200, given().get("/q/info").then().extract().statusCode(), "not on the public port");
    }

    @Test
    void theAccessLogIsOffByDefault() {
        assertFalse(ConfigProvider.getConfig().getOptionalValue("quarkus.http.access-log.enabled", Boolean.class).orElse(false));
    }

    /** The version in the parent pom (../pom.xml), which every module inherits. */
    static String mavenVersion() throws Exception {
        String pom = Files.readString(Path.of("..", "pom.xml"), StandardCharsets.UTF_8);
        Matcher version = Pattern.compile("<artifactId>tg-user-registry-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(version.find());
        return version.group(1);
    }

    /** {@code git rev-parse HEAD} of the checkout, or null without git. */
    static String head() throws Exception {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor() == 0 ? out : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
