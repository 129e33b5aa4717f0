package dev.tgregistry.users.web;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.localstack.RawHttp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request over a size limit is a problem+json answer (414, 431, 413; 411 for a body of undeclared length), whoever
 * sends it, before any filter or resource: service-web's HttpEdge with this service's limits. No data of its own.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class RequestLimitsTest {
    static final Map<String, String> KEY = Map.of("Authorization", "Bearer test-api-key");

    @TestHTTPResource("/")
    URL base;

    static void assertProblem(RawHttp.Response response, int status, String title, String detail) {
        assertEquals(status, response.status(), response.body());
        assertEquals("application/problem+json", response.header("content-type"));
        JsonPath problem = new JsonPath(response.body());
        assertEquals(status, problem.getInt("status"));
        assertEquals(title, problem.getString("title"));
        assertEquals("about:blank", problem.getString("type"));
        assertTrue(problem.getString("detail").contains(detail), problem.getString("detail"));
        assertEquals(problem.getString("detail"), problem.getString("error"));
    }

    private RawHttp.Response post(String extraHeaders, String body) {
        String request = "POST /api/users/validate HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Authorization: Bearer test-api-key\r\nContent-Type: application/json\r\n" + extraHeaders + "\r\n" + body;
        return RawHttp.exchange(base, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aRequestLineOverTheLimitIs414() {
        for (Map<String, String> headers : java.util.List.of(KEY, Map.<String, String>of())) {
            assertProblem(RawHttp.send(base, "GET", "/api/users/search?q=" + "a".repeat(5000), headers, null),
                    414, "URI Too Long", "exceeds the limit of 4096 bytes");
        }
    }

    @Test
    void headersOverTheLimitAre431() {
        assertProblem(RawHttp.send(base, "GET", "/api/stats", Map.of("Authorization", "Bearer test-api-key",
                "X-Padding", "p".repeat(25_000)), null), 431, "Request Header Fields Too Large", "exceed the limit of 20 KiB");
    }

    @Test
    void aBodyOverTheLimitIs413AndOneOfUndeclaredLengthIs411() {
        for (long length : new long[]{1024 * 1024 + 1, 20_000_000}) {
            assertProblem(post("Content-Length: " + length + "\r\n", ""), 413, "Content Too Large",
                    "request body of " + length + " bytes exceeds the limit of 1 MiB");
        }
        assertProblem(post("Transfer-Encoding: chunked\r\n", "2\r\n{}\r\n0\r\n\r\n"), 411, "Length Required", "Content-Length");
        assertEquals(200, post("Content-Length: 16\r\n", "{\"user_ids\":[1]}").status());
    }

    /**
     * Documents the limit of the above: Vert.x's own limits (16 KiB line, 64 KiB headers) refuse a request before any
     * handler can run, with an empty body (Quarkus 3.34 exposes no HttpServer.invalidRequestHandler).
     */
    @Test
    void pastVertxsOwnLimitsTheAnswerHasNoBody() {
        RawHttp.Response line = RawHttp.send(base, "GET", "/api/users/search?q=" + "a".repeat(20_000), KEY, null);
        assertEquals(414, line.status());
        assertEquals("", line.body());
        RawHttp.Response headers = RawHttp.send(base, "GET", "/api/stats", Map.of("X-Padding", "p".repeat(70_000)), null);
        assertEquals(431, headers.status());
        assertEquals("", headers.body());
    }
}
