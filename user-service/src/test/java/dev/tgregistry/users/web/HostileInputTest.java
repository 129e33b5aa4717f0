package dev.tgregistry.users.web;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.localstack.RawHttp;
import dev.tgregistry.localstack.hostile.HostileSuite;
import dev.tgregistry.localstack.hostile.OpenApiDocument;
import dev.tgregistry.localstack.hostile.Samples;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.Topics;
import dev.tgregistry.model.UserSeen;
import dev.tgregistry.users.TestSupport;
import dev.tgregistry.users.TestUserIds;
import dev.tgregistry.users.segment.SegmentFilter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.ws.rs.QueryParam;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static dev.tgregistry.localstack.Urls.at;
import static dev.tgregistry.users.QueryFixtures.booking;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.event;
import static dev.tgregistry.users.QueryFixtures.registration;
import static dev.tgregistry.users.QueryFixtures.user;
import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 27: every operation of the committed {@code docs/openapi/user-service.yaml}, every parameter and request-body
 * field, gets hostile values (NUL, lone surrogates, 10k characters, numbers past the bounds, wrong JSON types, deep
 * nesting, tampered cursors, ...; see local-stack's {@code dev.tgregistry.localstack.hostile}) while everything else
 * stays valid, with the all-rights key and, for a sample, without a key. Never a 5xx; every 4xx is problem+json; an
 * authorised 4xx names what was wrong; no metric series for a path that is not a route; and a sighting still flows
 * afterwards. Operations and fields added to the document later are covered without touching this class; only
 * sample values the document does not offer live here. The report (every failure) is also written to
 * {@code target/hostile-input-user-service.txt}. User, booking and registration ids 9_630_000_000..9_630_999_999.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {
    private static final long FROM = TestUserIds.HOSTILE_INPUT.from();
    private static final long TO = TestUserIds.HOSTILE_INPUT.to();
    /** The sample user: seen through Kafka (names, name history), a booking, events, a registration, a profile. */
    private static final long ONE = FROM + 1;
    /** Erased by DELETE /api/users/{id}'s valid sample. */
    private static final long ERASED = FROM + 2;
    /** Users 3..6: confirmed students of 5th_stream with registrations, so every list has a second page. */
    private static final long CANARY = FROM + 900;

    @TestHTTPResource("/")
    URL api;

    @TestHTTPResource(value = "", management = true)
    URL management;

    /** Sample values the document does not offer (it has no examples for these parameters), and undescribed bodies. */
    static Samples samples() {
        return new Samples()
                .param("id", Long.toString(ONE))
                .param("DELETE /api/users/{id}", "id", Long.toString(ERASED))
                .param("DELETE /api/segments/{id}", "id", Long.toString(ERASED))
                // the lists' valid samples select everyone (so a walk has a second page); each filter is attacked alone
                .variants("GET /api/users", noFilter())
                .variants("GET /api/users/count", noFilter())
                .param("topic", Topics.BOOKINGS)
                .param("stream", "5th_stream")
                .param("q", "hostile")
                .param("search", "hostile")
                .param("status", "2")
                .param("score", "cold")
                .param("nickname", "hostile_nick")
                .param("phone", "+989121234567")
                .param("username", "hostile_one")
                .param("at", "2026-01-01T00:00:00Z")
                .param("end", "2026-01-15")
                .param("tz", "UTC")
                // type picks what the other parameters mean: attack them in both forms
                .variants("GET /api/events", Map.of("type", "recent"), Map.of("type", "daily"))
                // the document types these bodies as Jackson's JsonNode (it does not describe them): their fields
                // come from these samples
                .body("PATCH /api/users/{id}/bookings", "{\"bookingId\": " + (FROM + 101) + ", \"updates\": {\"course_stream\": \"6th_stream\","
                        + " \"confirmed\": 1, \"referral_code\": \"FRIEND20\", \"discount_percent\": 20}}")
                // a failure (ok and error_code exclude each other, which the schema does not say); an id nobody has
                .body("POST /api/users/send-results", "{\"results\": [{\"user_id\": \"" + (FROM + 850) + "\", \"error_code\": 403,"
                        + " \"description\": \"Forbidden: bot was blocked by the user\", \"at\": \"2026-01-01T00:00:00Z\"}]}")
                .body("PATCH /api/users/{id}/profile", "{\"onboarding_completed\": true, \"real_name\": \"Hostile Tester\","
                        + " \"nickname\": \"hostile_nick\", \"study_track\": \"backend\", \"grade_band\": \"10-11\", \"grade_year\": 10,"
                        + " \"phone\": \"+989121234567\", \"last_activity\": \"2026-01-01T10:00:00Z\", \"attributes\": {\"source\": \"hostile\"}}");
    }

    /** Every member of SegmentFilter left out. */
    private static Map<String, String> noFilter() {
        Map<String, String> none = new HashMap<>();
        for (RecordComponent member : SegmentFilter.class.getRecordComponents()) {
            none.put(member.getAccessor().getAnnotation(QueryParam.class).value(), null);
        }
        return none;
    }

    @Test
    @Order(1)
    void everyOperationAnswersHostileValuesWithoutA5xxAndNamesTheCulprit() throws Exception {
        seed();
        HostileSuite suite = new HostileSuite("user-service", OpenApiDocument.load(OpenApiDocument.committed("user-service.yaml")),
                samples(), api, new URL(at(management, "/metrics")), RawHttp.Header.of("Authorization", "Bearer " + TestSupport.API_KEY));
        HostileSuite.Report report;
        try {
            report = suite.run();
        } finally {
            removeUsersMadeOutsideTheRange();
        }
        report.write(Path.of("target", "hostile-input-user-service.txt"));
        System.out.println(report.summary());
        if (!report.failures().isEmpty()) {
            System.out.println(report.failureText());
        }
        assertTrue(report.failures().isEmpty(), report.failureText());
    }

    @Test
    @Order(2)
    void aSightingStillFlowsAfterwards() {
        UserSeen sighting = UserSeen.of(new TelegramUser(CANARY, false, "hostile_canary", "Canary", null, "en", null),
                Instant.now(), null, null);
        KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.USER_SEEN, sighting.key(), RecordJson.write(sighting));
        await().atMost(Duration.ofSeconds(30)).until(() -> api().get("/api/users/" + CANARY).statusCode() == 200);
        api().get("/api/users/" + CANARY).then().statusCode(200).body("user.username", equalTo("hostile_canary"));
    }

    /**
     * Some hostile numbers are valid ids of nobody (int32 max, past int32 max, int64 max), and PATCH
     * /api/users/{id}/profile creates the user it is given: remove those users again, so that this class touches
     * nothing outside its range for the classes after it.
     */
    private static void removeUsersMadeOutsideTheRange() {
        String ids = " WHERE user_id IN (2147483647, 2147483648, 9223372036854775807)";
        sql("DELETE FROM user_profile_changes" + ids, "DELETE FROM user_profiles" + ids, "DELETE FROM user_name_history" + ids,
                "DELETE FROM audit_log" + ids, "DELETE FROM erased_users" + ids, "DELETE FROM users" + ids);
    }

    private static void seed() {
        removeUsersMadeOutsideTheRange();
        cleanRange(FROM, TO);
        String range = " WHERE user_id BETWEEN " + FROM + " AND " + TO;
        sql("DELETE FROM booking_admin_edits" + range, "DELETE FROM erased_users" + range, "DELETE FROM audit_log" + range);
        UserSeen one = UserSeen.of(new TelegramUser(ONE, false, "hostile_one", "Hostile", "One", "en", null),
                Instant.parse("2026-01-10T10:00:00Z"), null, null);
        KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.USER_SEEN, one.key(), RecordJson.write(one));
        await().atMost(Duration.ofSeconds(30)).until(() -> scalar("SELECT 1 FROM users WHERE user_id = " + ONE) != null);
        sql(user(ERASED, "hostile_two", "Two", null, "'2026-01-09T10:00:00Z'"),
                booking(FROM + 101, ONE, "4th_stream", 1, "hostile_one", "Hostile", "'2026-01-02T10:00:00Z'"),
                event(ONE, "view_program", "{\"course_id\": 1}", "'2026-01-05T10:00:00Z'"),
                event(ONE, "start_command", null, "'2026-01-06T10:00:00Z'"),
                registration(FROM + 201, ONE, "one@example.com", "2026-01-20", "'2026-01-03T10:00:00Z'"));
        for (long id = FROM + 3; id <= FROM + 6; id++) {
            sql(user(id, "hostile_" + id, "Student", null, "'2026-01-08T10:00:00Z'"),
                    booking(id + 100, id, "5th_stream", 2, null, null, "'2026-01-0" + (id - FROM) + "T10:00:00Z'"),
                    registration(id + 200, id, id + "@example.com", "2026-01-20", "'2026-01-04T10:00:00Z'"));
        }
        sql("DELETE FROM segments WHERE id IN (" + ONE + ", " + ERASED + ")",
                segment(ONE), segment(ERASED));
        api().contentType(ContentType.JSON)
                .body("{\"nickname\": \"hostile_nick\", \"phone\": \"+989121234567\", \"real_name\": \"Hostile Tester\"}")
                .patch("/api/users/" + ONE + "/profile").then().statusCode(200);
    }

    /** A saved segment selecting everyone, with the given id (so that the id samples of the segment routes exist). */
    private static String segment(long id) {
        return "INSERT INTO segments (id, name, filter, version, created_at, created_by, updated_at, updated_by) OVERRIDING SYSTEM VALUE "
                + "VALUES (" + id + ", 'hostile', '{}', 1, now(), 'seed', now(), 'seed')";
    }
}
