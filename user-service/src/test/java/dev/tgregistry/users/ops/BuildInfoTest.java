package dev.tgregistry.users.ops;

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

/** /q/info on the management port names the Maven version and a commit; the access log is off unless turned on. */
@QuarkusTest
class BuildInfoTest {
    @TestHTTPResource(value = "", management = true)
    URL management;

    @Test
    void infoNamesTheVersionAndTheCommitOnTheManagementPortOnly() throws Exception {
        JsonPath info = given().get(at(management, "/info")).then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
        assertEquals("user-service", info.getString("build.artifact"));
        String pom = Files.readString(Path.of("..", "pom.xml"), StandardCharsets.UTF_8);
        Matcher version = Pattern.compile("<artifactId>tg-user-registry-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(version.find());
        assertEquals(version.group(1), info.getString("build.version"));
        // bot-ingest's BuildInfoTest checks it against git; outside a Git checkout the build says "unknown"
        assertTrue(info.getString("git.commit.id").matches("[0-9a-f]{40}|unknown"), info.getString("git.commit.id"));
        assertNotEquals(200, given().get("/q/info").then().extract().statusCode(), "not on the API port");
        assertFalse(ConfigProvider.getConfig().getOptionalValue("quarkus.http.access-log.enabled", Boolean.class).orElse(false));
    }
}
