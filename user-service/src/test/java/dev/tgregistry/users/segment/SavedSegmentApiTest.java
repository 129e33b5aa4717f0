package dev.tgregistry.users.segment;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.tgregistry.users.QueryFixtures.assertProblem;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static dev.tgregistry.users.segment.SegmentFilterQueryTest.A;
import static dev.tgregistry.users.segment.SegmentFilterQueryTest.B;
import static dev.tgregistry.users.segment.SegmentFilterQueryTest.D;
import static dev.tgregistry.users.segment.SegmentFilterQueryTest.FROM;
import static dev.tgregistry.users.segment.SegmentFilterQueryTest.profile;
import static dev.tgregistry.users.segment.SegmentFilterQueryTest.user;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Saved segments: created, read back, edited into versions, counted, listed as JSON and CSV, deleted. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class SavedSegmentApiTest {
    static final String WINDOW = "\"first_seen_from\": \"1993-01-01T00:00:00Z\", \"first_seen_to\": \"1994-01-01T00:00:00Z\"";

    @BeforeEach
    void seed() {
        cleanRange(FROM + 1000, FROM + 1999);
        sql(user(A + 1000, "segsaved1", "fa", true, true, null, "'1993-04-01T00:00:00Z'"),
                user(B + 1000, "segsaved2", "fa", true, false, null, "'1993-04-02T00:00:00Z'"),
                user(D + 1000, "segsaved4", "ru", true, true, null, "'1993-04-03T00:00:00Z'"),
                profile(A + 1000, true, "math", null, 11, null, "{}"),
                profile(D + 1000, true, "math", null, 12, null, "{}"));
    }

    static String name() {
        return "seg " + UUID.randomUUID();
    }

    static JsonPath create(String name, String filter) {
        return api().contentType("application/json").body("{\"name\": \"" + name + "\", \"filter\": {" + filter + "}}")
                .post("/api/segments").then().statusCode(201).header("ETag", "\"1\"").extract().jsonPath();
    }

    @Test
    void aSegmentIsSavedEditedIntoVersionsAndSelectsItsUsers() {
        String name = name();
        JsonPath created = create(name, WINDOW + ", \"study_track\": \"math\", \"onboarding_completed\": true");
        long id = created.getLong("id");
        assertEquals(1, created.getInt("version"));
        assertEquals(List.of("math"), created.getList("filter.study_track"), "a single value is stored as a list of one");
        assertTrue(created.getString("created_by").startsWith("key-"), "the key's id, never the key: " + created.getString("created_by"));
        String storedFilter = (String) scalar("SELECT filter::text FROM segments WHERE id = " + id);
        assertFalse(storedFilter.toLowerCase().contains("select"), storedFilter);
        assertTrue(storedFilter.contains("\"study_track\": [\"math\"]"), "the filter is stored as data: " + storedFilter);

        assertEquals(List.of(Long.toString(D + 1000), Long.toString(A + 1000)),
                api().get("/api/segments/" + id + "/users").then().statusCode(200).extract().jsonPath().getList("users.user_id"));
        api().get("/api/segments/" + id + "/count").then().statusCode(200).body("count", equalTo(2));

        api().contentType("application/json").header("If-Match", "\"1\"")
                .body("{\"name\": \"" + name + "\", \"filter\": {" + WINDOW + ", \"study_track\": [\"math\"], \"grade_year\": [12]}}")
                .put("/api/segments/" + id).then().statusCode(200).header("ETag", "\"2\"").body("version", equalTo(2));
        api().get("/api/segments/" + id + "/count").then().statusCode(200).body("count", equalTo(1));
        api().get("/api/segments/" + id).then().statusCode(200).header("ETag", "\"2\"").body("filter.grade_year", equalTo(List.of(12)));

        JsonPath versions = api().get("/api/segments/" + id + "/versions").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(2, 1), versions.getList("version"));
        assertEquals(true, versions.getBoolean("[1].filter.onboarding_completed"), "version 1 is kept as it was");

        assertProblem(api().contentType("application/json").header("If-Match", "\"1\"")
                .body("{\"name\": \"x\", \"filter\": {}}").put("/api/segments/" + id).then(), 412, "version 2");

        String csv = api().queryParam("format", "csv").queryParam("sort", "id").get("/api/segments/" + id + "/users")
                .then().statusCode(200).header("Content-Disposition", containsString("segment-" + id + ".csv")).extract().asString();
        assertEquals(2, csv.strip().split("\r?\n").length, csv);
        assertTrue(csv.contains(Long.toString(D + 1000)), csv);

        api().delete("/api/segments/" + id).then().statusCode(204);
        assertProblem(api().get("/api/segments/" + id).then(), 404, "segment " + id);
        assertProblem(api().get("/api/segments/" + id + "/users").then(), 404, "segment " + id);
        assertEquals(0L, scalar("SELECT count(*) FROM segment_versions WHERE segment_id = " + id));
    }

    @Test
    void aRelativeWindowStaysRelative() {
        long id = create(name(), "\"first_seen_within\": \"pt24h\", \"language\": [\"fa\"]").getLong("id");
        api().get("/api/segments/" + id).then().statusCode(200).body("filter.first_seen_within", equalTo("PT24H"));
        long now = api().queryParam("first_seen_within", "PT24H").queryParam("language", "fa").get("/api/users/count")
                .then().statusCode(200).extract().jsonPath().getLong("count");
        api().get("/api/segments/" + id + "/count").then().statusCode(200).body("count", equalTo((int) now));
    }

    @Test
    void twoSegmentsMayShareAName() {
        String name = name();
        long first = create(name, "").getLong("id");
        long second = create(name, "\"active\": true").getLong("id");
        assertTrue(second != first);
        api().get("/api/segments").then().statusCode(200).body("findAll { it.name == '" + name + "' }.size()", equalTo(2));
    }

    @Test
    void everyMemberOfTheBodyIsCheckedAndNamed() {
        Map<String, String> refused = Map.of(
                "{\"name\": \"a\", \"filter\": {\"actve\": true}}", "filter.actve",
                "{\"name\": \"a\", \"filter\": {\"active\": \"true\"}}", "filter.active",
                "{\"name\": \"a\", \"filter\": {\"grade_year\": [\"11\"]}}", "filter.grade_year",
                "{\"name\": \"a\", \"filter\": {\"did\": [\"x:0\"]}}", "filter.did",
                "{\"name\": \"a\", \"filter\": {\"first_seen_within\": \"forever\"}}", "filter.first_seen_within",
                "{\"name\": \"a\", \"filter\": {\"has\": [\"phone\", \"secret\"]}}", "filter.has[1]",
                "{\"name\": \"\", \"filter\": {}}", "name",
                "{\"name\": \"a\"}", "filter",
                "{\"name\": \"a\", \"filter\": {}, \"sql\": \"drop\"}", "sql",
                "[]", "body");
        refused.forEach((body, named) -> assertProblem(api().contentType("application/json").body(body).post("/api/segments").then(), 400, named));
        assertProblem(api().contentType("application/json").body("{\"name\": \"a\", \"filter\": {}}").put("/api/segments/999999999").then(),
                404, "segment 999999999");
    }

    @Test
    void aReadOnlyKeyCannotWrite() {
        io.restassured.RestAssured.given().header("Authorization", "Bearer read-only-key").contentType("application/json")
                .body("{\"name\": \"ro\", \"filter\": {}}").post("/api/segments").then().statusCode(403);
    }
}
