package dev.tgregistry.localstack.hostile;

import dev.tgregistry.localstack.hostile.HostileCases.Base;
import dev.tgregistry.localstack.hostile.HostileCases.Case;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator: what a route or field added to a document gets, without anyone listing it. */
class HostileCasesTest {
    private static final String DOC = """
            openapi: 3.1.0
            components:
              schemas:
                Thing:
                  type: object
                  properties:
                    name:
                      type: string
                    size:
                      type: integer
                      format: int32
                      minimum: 1
                      maximum: 10
                    tags:
                      type: array
                      maxItems: 3
                      items:
                        $ref: "#/components/schemas/Tag"
                Tag:
                  type: string
                  examples:
                  - red
            paths:
              /api/things/{id}:
                put:
                  parameters:
                  - name: id
                    in: path
                    required: true
                    schema:
                      type: string
                  - name: limit
                    in: query
                    description: "1..200, default 20"
                    schema:
                      type: string
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema:
                          $ref: "#/components/schemas/Thing"
            """;

    @TempDir
    Path dir;

    private List<Case> cases(Samples samples) throws Exception {
        Path file = dir.resolve("doc.yaml");
        Files.writeString(file, DOC);
        HostileCases generator = new HostileCases(OpenApiDocument.load(file), samples);
        List<Case> cases = new ArrayList<>();
        for (OpenApiDocument.Operation operation : OpenApiDocument.load(file).operations()) {
            for (Base base : generator.bases(operation)) {
                cases.addAll(generator.cases(base, Map.of()));
            }
        }
        return cases;
    }

    private static String body(Case c) {
        return new String(c.request().body(), StandardCharsets.UTF_8);
    }

    @Test
    void everyParameterAndFieldOfANewRouteGetsHostileValues() throws Exception {
        List<Case> cases = cases(new Samples().param("id", "42"));
        Case sample = cases.get(0);
        assertEquals("valid sample", sample.kind());
        assertEquals("/api/things/42?limit=20", sample.request().target(), "the described default is the sample");
        assertEquals("{\"name\":\"sample\",\"size\":1,\"tags\":[\"red\"]}", body(sample), "made from the schema, $ref example included");

        assertTrue(cases.stream().anyMatch(c -> c.name().equals("limit") && c.request().target().endsWith("limit=201")),
                "past the described max");
        assertTrue(cases.stream().anyMatch(c -> c.name().equals("limit") && c.request().target().endsWith("limit=20%00")), "NUL");
        assertTrue(cases.stream().anyMatch(c -> c.name().equals("id") && c.request().target().startsWith("/api/things/42%ED%A0%80?")),
                "a lone surrogate as raw UTF-8 bytes");
        assertTrue(cases.stream().anyMatch(c -> c.name().equals("size") && body(c).contains("\"size\":11")), "past the schema's maximum");
        assertTrue(cases.stream().anyMatch(c -> c.name().equals("name") && body(c).contains("\"name\":\"sample\\ud800\"")),
                "a lone surrogate as a JSON escape");
        assertTrue(cases.stream().anyMatch(c -> c.name().equals("name") && body(c).contains("\"name\":\"sample\",\"name\":\"sample\"")),
                "a duplicate key");
        assertTrue(cases.stream().anyMatch(c -> c.name().equals("tags") && body(c).contains("[\"red\",\"red\",\"red\",\"red\"]")),
                "past maxItems");
        assertTrue(cases.stream().anyMatch(c -> c.name().equals("tags[0]") && c.namedAs().equals("tags")), "array items, named by their array");
        assertTrue(cases.stream().anyMatch(c -> c.name().equals("(whole body)") && body(c).startsWith("[[[[")), "deep nesting");
        assertTrue(cases.stream().anyMatch(c -> !c.authorised() && c.name().equals("size")), "a sample without credentials");
        assertFalse(cases.stream().anyMatch(c -> c.location().equals("path") && c.kind().startsWith("dot segment") && c.namedAs() != null),
                "a dot segment makes another path, where nothing can name the parameter");
    }

    @Test
    void aRequiredParameterWithoutASampleIsReportedNotSkipped() {
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> cases(new Samples()));
        assertTrue(missing.getMessage().contains("PUT /api/things/{id}: no sample value for required path parameter id"), missing.getMessage());
    }

    @Test
    void theCommittedDocumentsGiveCasesForEveryOperation() {
        for (String name : List.of("user-service.yaml", "bot-ingest.yaml")) {
            OpenApiDocument doc = OpenApiDocument.load(OpenApiDocument.committed(name));
            assertFalse(doc.operations().isEmpty(), name);
            assertTrue(doc.pathTemplates().size() > 0, name);
        }
    }

    @Test
    void aDetailNamesAFieldAsAWordOfItsOwn() {
        assertTrue(AnswerText.names("user_ids[3] is not a positive integer", "user_ids", false));
        assertTrue(AnswerText.names("[2].user.id must be positive", "id", false));
        assertFalse(AnswerText.names("user_id must be positive", "id", false));
        assertFalse(AnswerText.names("invalid value", "id", false));
        assertTrue(AnswerText.names("if-match: no such version", "If-Match", true));
        assertTrue(AnswerText.quotesAnId("user 9223372036854775807 not found", "9223372036854775807"));
        assertFalse(AnswerText.quotesAnId("limit must be between 1 and 200", "0"));
        assertEquals("method=\"GET\",uri=\"/api/users/{id}\"",
                RequestSeries.labels("http_server_requests_seconds_count{method=\"GET\",uri=\"/api/users/{id}\"} 3.0 # {span_id=\"a\"} 1.0", 35));
    }
}
