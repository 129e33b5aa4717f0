package dev.tgregistry.users.ops;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.localstack.RawHttp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.tgregistry.localstack.Urls.at;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Paths a caller makes up do not grow the series of http_server_requests: a request that matched no route is
 * labelled by its status (uri NOT_FOUND, UNAUTHORIZED, BAD_REQUEST, ...), never by its path. No data of its own.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class UriCardinalityTest {
    static final Map<String, String> KEY = Map.of("Authorization", "Bearer test-api-key");
    /** Made-up requests, each kind answered with its own status: 401 (no key), 400 (path), 404, 405. */
    static final List<Function<String, RawHttp.Request>> KINDS = List.of(
            random -> new RawHttp.Request("GET", "/api//zz" + random, Map.of()),
            random -> new RawHttp.Request("GET", "/api/users;p=" + random, Map.of()),
            random -> new RawHttp.Request("GET", "/api/zz" + random, Map.of()),
            random -> new RawHttp.Request("GET", "/api//zz" + random, KEY),
            random -> new RawHttp.Request("GET", "/api/zz" + random + "/", KEY),
            random -> new RawHttp.Request("GET", "/zz" + random, Map.of()),
            random -> new RawHttp.Request("POST", "/api/users/" + Integer.toUnsignedString(random.hashCode()), KEY));

    @TestHTTPResource("/")
    URL base;

    @TestHTTPResource(value = "", management = true)
    URL management;

    private Set<String> series() {
        return given().get(at(management, "/metrics")).then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith("http_server_requests_seconds_count{"))
                .map(line -> line.substring(0, line.indexOf('}') + 1)).collect(Collectors.toSet());
    }

    @Test
    void madeUpPathsDoNotAddSeries() {
        for (Function<String, RawHttp.Request> kind : KINDS) {
            RawHttp.send(base, kind.apply("first"));
        }
        Set<String> before = series();
        for (int i = 0; i < 30; i++) {
            String random = UUID.randomUUID().toString().substring(0, 12);
            for (Function<String, RawHttp.Request> kind : KINDS) {
                RawHttp.send(base, kind.apply(random));
            }
        }
        Set<String> after = series();
        assertEquals(before, after);
        for (String uri : List.of("UNAUTHORIZED", "BAD_REQUEST", "NOT_FOUND")) {
            assertTrue(after.stream().anyMatch(s -> s.contains("uri=\"" + uri + "\"")), uri + " in " + after);
        }
        assertTrue(after.stream().noneMatch(s -> s.contains("zz")), after.toString());
    }
}
