package dev.tgregistry.users.web;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.localstack.RawHttp;
import dev.tgregistry.users.TestUserIds;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;

import static dev.tgregistry.users.QueryFixtures.booking;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.user;
import static dev.tgregistry.users.TestSupport.sql;
import static dev.tgregistry.users.web.RequestLimitsTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A path addresses one user and one route in one spelling: spaces, ';' parameters, percent-encoding and dot or empty
 * segments are 400 before routing, for reads and for DELETE, with or without a key. User ids 9_650_200_000..9_650_299_999.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class ExactPathApiTest {
    static final long ID = TestUserIds.EXACT_PATHS.from() + 1;
    static final Map<String, String> KEY = Map.of("Authorization", "Bearer test-api-key");
    /** Each would reach user 1, user ID or another route if a router or parser normalised it. */
    static final List<String> INEXACT = List.of("/api/users/%201", "/api/users/%20" + ID, "/api/users/" + ID + "%20",
            "/api/users/1;", "/api/users/" + ID + ";", "/api/users/" + ID + ";p=x", "/api/users;p=x",
            "/api/users/%2e%2e/bookings", "/api/users/%2E%2E/bookings", "/api/users/..%2fbookings", "/api/users/../bookings",
            "/api/users/%5c..%5cbookings", "/api/users/./" + ID, "/api//users/" + ID, "/api/users/" + ID + "%2f",
            "/api/users/%3" + ID); // %39 is the first digit, 9

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void seed() {
        cleanRange(ID, TestUserIds.EXACT_PATHS.to());
        // an earlier run erased the user: its tombstone and anonymised booking (user_id -id) stay behind
        sql("DELETE FROM erased_users WHERE user_id = " + ID, "DELETE FROM bookings WHERE id = " + ID, user(ID, "exact_user", "Exact", null, "now()"),
                booking(ID, ID, "5th_stream", 2, null, null, "now()"));
    }

    @Test
    void everyOtherSpellingOfAPathIs400ForReadsAndErasure() {
        for (String method : List.of("GET", "DELETE")) {
            for (String path : INEXACT) {
                assertProblem(RawHttp.send(base, method, path, KEY, null), 400, "Bad Request", "path segment");
            }
        }
        assertProblem(RawHttp.send(base, "GET", "/api/users/%201", Map.of(), null), 400, "Bad Request", "path segment");
        // nothing was erased; the exact path still reads and erases the user
        assertEquals(200, RawHttp.send(base, "GET", "/api/users/" + ID, KEY, null).status());
        assertEquals(200, RawHttp.send(base, "GET", "/api/users/" + ID + "/bookings", KEY, null).status());
        assertEquals(200, RawHttp.send(base, "DELETE", "/api/users/" + ID, KEY, null).status());
        assertEquals(404, RawHttp.send(base, "GET", "/api/users/" + ID, KEY, null).status());
    }
}
