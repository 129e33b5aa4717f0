package dev.tgregistry.ingest.web;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.RawHttp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.tgregistry.localstack.Urls.at;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bot-ingest's edge (service-web's HttpEdge): sizes over a limit are problem+json (414, 431, 413, 411), a path in any
 * other spelling is 400, both before the secret is checked; and made-up paths do not grow the metrics' series.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
class HttpEdgeTest {
    static final Map<String, String> SECRET = Map.of(IngestSecretFilter.HEADER, "test-ingest-secret");

    @TestHTTPResource("/")
    URL base;

    @TestHTTPResource(value = "", management = true)
    URL management;

    static void assertProblem(RawHttp.Response response, int status, String title, String detail) {
        assertEquals(status, response.status(), response.body());
        assertEquals("application/problem+json", response.header("content-type"));
        JsonPath problem = new JsonPath(response.body());
        assertEquals(status, problem.getInt("status"));
        assertEquals(title, problem.getString("title"));
        assertTrue(problem.getString("detail").contains(detail), problem.getString("detail"));
        assertEquals(problem.getString("detail"), problem.getString("error"));
    }

    private RawHttp.Response post(String path, String headers, String body) {
        String request = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "X-Telegram-Bot-Api-Secret-Token: test-ingest-secret\r\nContent-Type: application/json\r\n" + headers + "\r\n" + body;
        return RawHttp.exchange(base, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void sizesOverALimitAreProblems() {
        for (Map<String, String> headers : List.of(SECRET, Map.<String, String>of())) {
            assertProblem(RawHttp.send(base, "POST", "/telegram/updates?x=" + "a".repeat(5000), headers, "{}"),
                    414, "URI Too Long", "exceeds the limit of 4096 bytes");
        }
        assertProblem(RawHttp.send(base, "POST", "/telegram/updates", Map.of("X-Padding", "p".repeat(25_000)), "{}"),
                431, "Request Header Fields Too Large", "exceed the limit of 20 KiB");
        assertProblem(post("/bot/events", "Content-Length: 2000000\r\n", ""), 413, "Content Too Large",
                "request body of 2000000 bytes exceeds the limit of 1 MiB");
        assertProblem(post("/bot/events", "Transfer-Encoding: chunked\r\n", "2\r\n{}\r\n0\r\n\r\n"), 411, "Length Required",
                "Content-Length");
    }

    @Test
    void everyOtherSpellingOfAPathIs400() {
        for (String path : List.of("/telegram/updates;x=1", "/telegram/%75pdates", "/bot/../telegram/updates",
                "/bot/%2e%2e/telegram/updates", "//telegram/updates", "/telegram/./updates", "/telegram/updates%20")) {
            for (Map<String, String> headers : List.of(SECRET, Map.<String, String>of())) {
                assertProblem(RawHttp.send(base, "POST", path, headers, "{\"update_id\": 1}"), 400, "Bad Request", "path segment");
            }
        }
    }

    private Set<String> series() {
        return given().get(at(management, "/metrics")).then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith("http_server_requests_seconds_count{"))
                .map(line -> line.substring(0, line.indexOf('}') + 1)).collect(Collectors.toSet());
    }

    @Test
    void madeUpPathsDoNotAddSeries() {
        List<RawHttp.Request> kinds = kinds("first");
        kinds.forEach(request -> RawHttp.send(base, request));
        Set<String> before = series();
        for (int i = 0; i < 30; i++) {
            kinds(UUID.randomUUID().toString().substring(0, 12)).forEach(request -> RawHttp.send(base, request));
        }
        Set<String> after = series();
        assertEquals(before, after);
        assertTrue(after.stream().noneMatch(s -> s.contains("zz")), after.toString());
    }

    /** Made-up requests, each kind with its own answer: 401 (no secret), 400 (path), 404. */
    private static List<RawHttp.Request> kinds(String random) {
        return List.of(new RawHttp.Request("POST", "/bot/zz" + random, Map.of()),
                new RawHttp.Request("POST", "/telegram/updates;p=" + random, Map.of()),
                new RawHttp.Request("POST", "/bot/zz" + random, SECRET),
                new RawHttp.Request("POST", "/bot/zz" + random + "/", SECRET),
                new RawHttp.Request("GET", "/zz" + random, Map.of()));
    }
}
