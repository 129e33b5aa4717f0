package dev.tgregistry.users.web;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.users.TestSupport;
import dev.tgregistry.users.TestUserIds;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.user;
import static dev.tgregistry.users.TestSupport.sql;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's server-side proxy of docs/ORIGINAL-DASHBOARD.md 9.1, run as written (under Node, its type annotation
 * removed) in front of this service: the browser sends no key; method, query string, body, If-Match and Accept go
 * through; status, body, ETag, X-Next-Cursor, Link and Content-Disposition come back; the browser's own Origin and
 * Authorization never reach the service. Needs {@code node} on PATH (CI: required; elsewhere skipped without it).
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class DashboardProxyRecipeTest {
    private static final Path RECIPE = Path.of("../docs/ORIGINAL-DASHBOARD.md");
    private static final Pattern ROUTE_TS = Pattern.compile("```ts\\n(// app/api/\\[\\.\\.\\.path]/route\\.ts.*?)```",
            Pattern.DOTALL);
    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final long FIRST = TestUserIds.DASHBOARD_PROXY.from();

    private static Process node;
    private static int proxyPort;
    /** Node's output after the first line, read so that a full pipe never blocks it. */
    private static CompletableFuture<String> nodeOutput;

    @TestHTTPResource("/")
    URL service;

    @BeforeEach
    void startProxyAndClean() throws Exception {
        if (node == null) {
            start("http://" + service.getHost() + ":" + service.getPort());
        }
        cleanRange(TestUserIds.DASHBOARD_PROXY.from(), TestUserIds.DASHBOARD_PROXY.to());
    }

    @AfterAll
    static void stopProxy() throws InterruptedException {
        if (node != null) {
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
            node = null;
        }
    }

    /** A request of the dashboard's page: to the dashboard's own origin, without any key. */
    private static RequestSpecification browser() {
        return given().baseUri("http://127.0.0.1").port(proxyPort);
    }

    @Test
    void theBrowserNeedsNoKeyAndItsOwnHeadersNeverReachTheService() {
        browser().get("/api/stats").then().statusCode(200).body("totalUsers", notNullValue());
        browser().header("Authorization", "Bearer not-a-key").header("Origin", "https://elsewhere.example")
                .get("/api/stats").then().statusCode(200);
    }

    @Test
    void profileWritesKeepTheirVersionCheck() {
        String profile = "/api/users/" + FIRST + "/profile";
        browser().contentType(MERGE_PATCH).body("{\"nickname\": \"proxy_a\"}").patch(profile)
                .then().statusCode(200).header("ETag", "\"1\"").body("nickname", equalTo("proxy_a"));
        browser().contentType(MERGE_PATCH).header("If-Match", "\"1\"").body("{\"study_track\": \"math\"}").patch(profile)
                .then().statusCode(200).header("ETag", "\"2\"");
        browser().contentType(MERGE_PATCH).header("If-Match", "\"1\"").body("{\"study_track\": \"art\"}").patch(profile)
                .then().statusCode(412).contentType(containsString("application/problem+json"))
                .body("error", containsString("version 2"));
        browser().get(profile).then().statusCode(200).header("ETag", "\"2\"").body("study_track", equalTo("math"));
    }

    @Test
    void aPagesLinkLeadsThroughTheProxyToTheNextPage() {
        sql(user(FIRST + 1, "proxy_b", "B", null, "now()"), user(FIRST + 2, "proxy_c", "C", null, "now()"));
        Response first = browser().queryParam("limit", 1).get("/api/users/non-course");
        first.then().statusCode(200);
        String cursor = first.header("X-Next-Cursor");
        assertNotNull(cursor, "the next page's cursor comes back");
        Matcher link = Pattern.compile("<([^>]+)>; rel=\"next\"").matcher(first.header("Link"));
        assertTrue(link.matches(), first.header("Link"));
        assertTrue(link.group(1).startsWith("/api/users/non-course?") && link.group(1).contains("cursor=" + cursor));
        browser().urlEncodingEnabled(false).get(link.group(1)).then().statusCode(200);
    }

    @Test
    void bodiesCsvExportsAndErrorsPassThrough() {
        sql(user(FIRST + 3, "proxy_d", "D", null, "now()"));
        browser().contentType("application/json").body("{\"user_ids\": [" + (FIRST + 3) + "]}").post("/api/users/validate")
                .then().statusCode(200).body("valid_count", equalTo(1));
        browser().header("Accept", "text/csv").get("/api/users/non-course").then().statusCode(200)
                .contentType(startsWith("text/csv")).header("Content-Disposition", startsWith("attachment"))
                .body(startsWith("user_id,username,first_name,display_name,is_active"));
        browser().delete("/api/users/" + (FIRST + 3)).then().statusCode(200);
        browser().delete("/api/users/" + (FIRST + 3)).then().statusCode(404)
                .contentType(containsString("application/problem+json")).body("error", notNullValue());
    }

    // ------------------------------------------------------------------------------------------ the proxy

    private static void start(String serviceUrl) throws Exception {
        Path nodeBinary = nodeOnPath();
        Path dir = Path.of("target/dashboard-proxy");
        Files.createDirectories(dir);
        Matcher block = ROUTE_TS.matcher(Files.readString(RECIPE, StandardCharsets.UTF_8));
        assertTrue(block.find(), RECIPE + " has no ```ts block starting with // app/api/[...path]/route.ts");
        Files.writeString(dir.resolve("route.mjs"), block.group(1).replaceAll("\\((\\w+): Request\\)", "($1)"));
        try (InputStream server = DashboardProxyRecipeTest.class.getResourceAsStream("/dashboard-proxy/server.mjs")) {
            Files.write(dir.resolve("server.mjs"), server.readAllBytes());
        }
        ProcessBuilder builder = new ProcessBuilder(nodeBinary.toString(), "server.mjs").directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().put("REGISTRY_URL", serviceUrl);
        builder.environment().put("REGISTRY_API_KEY", TestSupport.API_KEY);
        node = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        if (line == null || !line.startsWith("listening ")) {
            String rest = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            stopProxy();
            throw new AssertionError("the recipe did not start under Node: " + line + "\n" + rest);
        }
        proxyPort = Integer.parseInt(line.substring("listening ".length()).strip());
        nodeOutput = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    private static Path nodeOnPath() {
        Optional<Path> found = Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(path -> List.of(path.split(File.pathSeparator)).stream())
                .map(dir -> Path.of(dir, "node"))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("node is not on PATH: CI must run the dashboard proxy recipe");
            }
            Assumptions.abort("node is not on PATH: the dashboard proxy recipe is not run");
        }
        return found.get();
    }
}
