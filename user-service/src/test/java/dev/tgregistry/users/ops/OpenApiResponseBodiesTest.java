package dev.tgregistry.users.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.model.Topics;
import dev.tgregistry.users.TestUserIds;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.tgregistry.users.QueryFixtures.booking;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.event;
import static dev.tgregistry.users.QueryFixtures.registration;
import static dev.tgregistry.users.QueryFixtures.user;
import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every JSON operation of the committed docs/openapi/user-service.yaml is called with data present, and the body it
 * answers is validated against the schema the document gives for that operation and status (JSON Schema 2020-12, as
 * OpenAPI 3.1 defines it; formats asserted): required members present, null only where the schema allows it, types,
 * patterns and enumerations. A client generated from the document therefore types what the service really sends.
 * User and booking ids 9_660_001_400..9_660_001_499.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class OpenApiResponseBodiesTest {
    private static final Path DOCUMENT = Path.of("..", "docs", "openapi", "user-service.yaml");
    private static final long FROM = TestUserIds.OPENAPI_RESPONSE_BODIES.from();
    private static final long TO = TestUserIds.OPENAPI_RESPONSE_BODIES.to();
    private static final long ALPHA = FROM + 1;  // names, two bookings, events, a registration, a profile
    private static final long BETA = FROM + 2;   // no booking
    private static final long GONE = FROM + 3;   // erased by the test
    private static final String STREAM = "6th_stream";
    /** A saved segment (selecting everyone) with a fixed id. */
    private static final long SEGMENT = FROM + 1;
    private static final String MERGE_PATCH = "application/merge-patch+json";

    record Call(String operationId, String method, String path, Map<String, String> query, String body, String contentType) {
        static Call get(String operationId, String path, Map<String, String> query) {
            return new Call(operationId, "GET", path, query, null, null);
        }

        static Call send(String operationId, String method, String path, String body, String contentType) {
            return new Call(operationId, method, path, Map.of(), body, contentType);
        }

        String describe() {
            return operationId + " (" + method + " " + path + (query.isEmpty() ? "" : " " + query) + ")";
        }
    }

    private static List<Call> calls() {
        String alpha = "/api/users/" + ALPHA;
        return List.of(
                Call.send("patchProfile", "PATCH", alpha + "/profile", "{\"onboarding_completed\": true, \"real_name\": \"Alpha Oab\", "
                        + "\"nickname\": \"oab_nick\", \"phone\": \"+989127654321\", \"study_track\": \"python\"}", MERGE_PATCH),
                Call.send("patchProfile", "PATCH", alpha + "/profile", "{\"grade_year\": \"11\"}", MERGE_PATCH),
                Call.get("getProfile", alpha + "/profile", Map.of()),
                Call.get("getProfileHistory", alpha + "/profile/history", Map.of()),
                Call.get("getUser", alpha, Map.of()),
                Call.get("getUserBookings", alpha + "/bookings", Map.of()),
                Call.send("patchUserBookings", "PATCH", alpha + "/bookings", "{\"updates\": {\"confirmed\": 2, \"referral_code\": \"OAB\"}}", "application/json"),
                Call.send("moveUserStream", "PATCH", alpha + "/stream", "{\"stream\": \"7th_stream\"}", "application/json"),
                Call.get("getNameHistory", alpha + "/names", Map.of()),
                Call.get("exportUser", alpha + "/export", Map.of()),
                Call.get("lookupUsername", "/api/users/lookup", Map.of("username", "oab_alpha")),
                Call.get("lookupUsername", "/api/users/lookup", Map.of("username", "oab_was", "at", "2025-03-01T00:00:00Z")),
                Call.get("findUserByNickname", "/api/users/by-nickname", Map.of("nickname", "oab_nick")),
                Call.get("findUsersByPhone", "/api/users/by-phone", Map.of("phone", "+989127654321")),
                Call.get("listUsers", "/api/users", Map.of("limit", "2")),
                Call.get("listUsers", "/api/users", Map.of("language", "en", "did", "view_program", "sort", "first_seen")),
                Call.get("countUsers", "/api/users/count", Map.of("has", "phone")),
                Call.get("listSegments", "/api/segments", Map.of()),
                Call.get("getSegment", "/api/segments/" + SEGMENT, Map.of()),
                Call.send("replaceSegment", "PUT", "/api/segments/" + SEGMENT, "{\"name\": \"oab\", \"filter\": "
                        + "{\"study_track\": [\"python\"], \"last_seen_within\": \"P30D\"}}", "application/json"),
                Call.get("listSegmentVersions", "/api/segments/" + SEGMENT + "/versions", Map.of()),
                Call.get("listSegmentUsers", "/api/segments/" + SEGMENT + "/users", Map.of("limit", "1", "sort", "id")),
                Call.get("countSegmentUsers", "/api/segments/" + SEGMENT + "/count", Map.of()),
                Call.send("reportSendResults", "POST", "/api/users/send-results", "{\"results\": [{\"user_id\": \"" + BETA
                        + "\", \"at\": \"2026-01-09T10:00:00Z\", \"error_code\": 403, \"description\": "
                        + "\"Forbidden: bot was blocked by the user\"}]}", "application/json"),
                Call.get("listUsersPaged", "/api/users/list", Map.of("search", "oab")),
                Call.get("listNonCourseUsers", "/api/users/non-course", Map.of("limit", "2")),
                Call.get("listConfirmedStudentsByStream", "/api/users/by-stream", Map.of("stream", STREAM)),
                Call.get("listHackathonUsers", "/api/users/hackathon", Map.of()),
                Call.get("searchUsers", "/api/users/search", Map.of("q", "oab")),
                Call.get("searchUsers", "/api/users/search", Map.of("stats", "true")),
                Call.send("validateRecipients", "POST", "/api/users/validate",
                        "{\"user_ids\": [\"" + ALPHA + "\", \"" + BETA + "\", \"" + (TO - 1) + "\"]}", "application/json"),
                Call.get("listLeads", "/api/user-activity", Map.of("limit", "5")),
                Call.get("getStreamRoster", "/api/stream-students", Map.of("stream", STREAM, "limit", "5")),
                Call.get("listRecentBookings", "/api/bookings", Map.of("limit", "5")),
                Call.get("listRecentFreeLessons", "/api/free-lessons", Map.of("limit", "5")),
                Call.get("getFreeLessonConversion", "/api/free-lessons-conversion", Map.of()),
                Call.get("getCourseStats", "/api/courses", Map.of()),
                Call.get("getCourseStreamStats", "/api/course-streams", Map.of()),
                Call.get("listEvents", "/api/events", Map.of("type", "recent", "limit", "5")),
                Call.get("listEvents", "/api/events", Map.of("type", "daily", "days", "7", "tz", "+03:30")),
                Call.get("listEvents", "/api/events", Map.of()),
                Call.get("getUserGrowth", "/api/user-growth", Map.of("days", "7", "end", "2026-01-10")),
                Call.get("getStats", "/api/stats", Map.of("tz", "Asia/Tehran")),
                Call.get("getAdoption", "/api/admin/adoption", Map.of()),
                Call.send("finishAdoption", "POST", "/api/admin/adoption/finish", null, null),
                Call.send("replayDeadLetters", "POST", "/api/admin/dead-letters/" + Topics.FREE_LESSONS + "/replay", null, null),
                Call.send("eraseUser", "DELETE", "/api/users/" + GONE, null, null));
    }

    @Test
    void everyJsonOperationAnswersWhatItsSchemaSays() throws Exception {
        seed();
        JsonNode document = new YAMLMapper().readTree(Files.readString(DOCUMENT));
        ObjectNode components = (ObjectNode) document.get("components");
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        ObjectMapper json = new ObjectMapper();

        List<String> mismatches = new ArrayList<>();
        Set<String> called = new TreeSet<>();
        try {
            for (Call call : calls()) {
                Response response = request(call);
                called.add(call.operationId());
                if (response.statusCode() != 200 || !response.contentType().startsWith("application/json")) {
                    mismatches.add(call.describe() + ": answered " + response.statusCode() + " " + response.contentType() + " " + response.asString());
                    continue;
                }
                JsonNode operation = operation(document, call.operationId());
                JsonNode schemaNode = operation.at("/responses/200/content/application~1json/schema");
                assertTrue(schemaNode.isObject(), call.describe() + ": the document has no JSON schema for 200");
                ObjectNode schemaRoot = schemaNode.deepCopy();
                schemaRoot.set("components", components);  // so that #/components/schemas/... resolves
                JsonSchema schema = factory.getSchema(schemaRoot, config);
                JsonNode body = json.readTree(response.asString());
                Set<ValidationMessage> errors = schema.validate(body);
                errors.forEach(error -> mismatches.add(call.describe() + ": " + error.getMessage()));
            }
        } finally {
            sql("DROP TABLE IF EXISTS public.hackathon_registrations");
        }
        // no events yet is a real answer of every type of listEvents: [] must fit its schema too
        ObjectNode events = operation(document, "listEvents").at("/responses/200/content/application~1json/schema").deepCopy();
        events.set("components", components);
        factory.getSchema(events, config).validate(json.readTree("[]"))
                .forEach(error -> mismatches.add("listEvents with no events: " + error.getMessage()));
        assertEquals(jsonOperations(document), called, "every JSON operation of the document is called");
        assertTrue(mismatches.isEmpty(), "responses that break their schema:\n" + String.join("\n", mismatches));
    }

    private static void seed() {
        cleanRange(FROM, TO);
        String range = " BETWEEN " + FROM + " AND " + TO;
        sql("DELETE FROM booking_admin_edits WHERE user_id" + range,
                "DELETE FROM user_profile_changes WHERE user_id" + range,
                "DELETE FROM user_profiles WHERE user_id" + range,
                "DELETE FROM erased_users WHERE user_id" + range,
                "DELETE FROM segments WHERE id = " + SEGMENT,
                "INSERT INTO segments (id, name, filter, version, created_at, created_by, updated_at, updated_by) OVERRIDING SYSTEM VALUE "
                        + "VALUES (" + SEGMENT + ", 'everyone', '{}', 1, now(), 'seed', now(), 'seed')",
                "INSERT INTO segment_versions (segment_id, version, name, filter, changed_at, changed_by) VALUES ("
                        + SEGMENT + ", 1, 'everyone', '{}', now(), 'seed')",
                user(ALPHA, "oab_alpha", "Alpha", "Oab", "'2026-01-08T10:00:00Z'"),
                user(BETA, null, "Beta", null, "'2026-01-07T10:00:00Z'"),
                user(GONE, "oab_gone", "Gone", null, "'2026-01-06T10:00:00Z'"),
                "INSERT INTO user_name_history (user_id, username, first_name, first_seen_at, last_seen_at) VALUES ("
                        + ALPHA + ", 'oab_was', 'Alpha', '2025-01-01T00:00:00Z', '2025-06-01T00:00:00Z'), ("
                        + ALPHA + ", 'oab_alpha', 'Alpha', '2025-06-01T00:00:00Z', '2026-01-08T10:00:00Z')",
                booking(FROM + 11, ALPHA, STREAM, 1, "oab_alpha", "Alpha", "'2026-01-02T10:00:00Z'"),
                booking(FROM + 12, ALPHA, "5th_stream", -1, "oab_alpha", "Alpha", "'2025-10-02T10:00:00Z'"),
                booking(FROM + 13, GONE, STREAM, 0, "oab_gone", "Gone", "'2026-01-03T10:00:00Z'"),
                event(ALPHA, "view_program", "{\"course_id\": 1}", "'2026-01-05T10:00:00Z'"),
                event(ALPHA, "start_command", null, "'2026-01-04T10:00:00Z'"),
                event(BETA, "start_command", null, "'2026-01-07T10:00:00Z'"),
                registration(FROM + 21, ALPHA, "alpha@example.com", "2026-01-09", "'2026-01-03T10:00:00Z'"),
                "CREATE TABLE IF NOT EXISTS public.hackathon_registrations (user_id bigint)",
                "INSERT INTO public.hackathon_registrations (user_id) VALUES (" + ALPHA + ")");
    }

    private static Response request(Call call) {
        RequestSpecification request = api().queryParams(call.query());
        if (call.body() != null) {
            request = request.contentType(call.contentType()).body(call.body());
        }
        return request.request(call.method(), call.path());
    }

    private static JsonNode operation(JsonNode document, String operationId) {
        for (JsonNode path : document.get("paths")) {
            for (JsonNode operation : path) {
                if (operationId.equals(operation.path("operationId").asText())) {
                    return operation;
                }
            }
        }
        throw new AssertionError("no operation " + operationId + " in " + DOCUMENT);
    }

    private static Set<String> jsonOperations(JsonNode document) {
        Set<String> ids = new TreeSet<>();
        for (JsonNode path : document.get("paths")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = path.fields(); it.hasNext(); ) {
                JsonNode operation = it.next().getValue();
                if (operation.at("/responses/200/content/application~1json").isObject()) {
                    ids.add(operation.get("operationId").asText());
                }
            }
        }
        return ids;
    }
}
