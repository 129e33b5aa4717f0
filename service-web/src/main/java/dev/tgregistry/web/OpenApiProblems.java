package dev.tgregistry.web;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The OpenAPI side of the problem+json convention, for both services' {@code mp.openapi.filter}. */
public final class OpenApiProblems {
    public static final String PROBLEM = "Problem";

    private OpenApiProblems() {
    }

    /**
     * Every operation under a {@code guarded} path needs {@code securityScheme}, may answer 401 ({@code unauthorized})
     * and 500, and answers every 4xx and 5xx as {@code application/problem+json}.
     */
    public static void guardOperations(OpenAPI openAPI, Predicate<String> guarded, String securityScheme, String unauthorized) {
        forEachGuarded(openAPI, guarded, operation ->
                operation.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(securityScheme))));
        problemResponses(openAPI, guarded, unauthorized);
    }

    /**
     * Every operation under a {@code guarded} path may answer 401 ({@code unauthorized}) and 500, and answers every
     * 4xx and 5xx as {@code application/problem+json}.
     */
    public static void problemResponses(OpenAPI openAPI, Predicate<String> guarded, String unauthorized) {
        forEachGuarded(openAPI, guarded, operation -> {
            APIResponses responses = operation.getResponses();
            if (responses == null) {
                responses = OASFactory.createAPIResponses();
                operation.setResponses(responses);
            }
            addIfAbsent(responses, "401", unauthorized);
            addIfAbsent(responses, "500", "Unexpected error; the body's trace_id names the log line (and trace)");
            responses.getAPIResponses().forEach((code, response) -> {
                if (code.startsWith("4") || code.startsWith("5")) {
                    response.setContent(problemContent());
                }
            });
        });
    }

    private static void forEachGuarded(OpenAPI openAPI, Predicate<String> guarded, Consumer<Operation> action) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (guarded.test(path)) {
                item.getOperations().values().forEach(action);
            }
        });
    }

    /** {@link ApiProblem} as JSON: RFC 9457 members plus {@code error} and, for a 5xx, {@code trace_id}. */
    public static Schema problemSchema(String titleDescription, String detailDescription) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("RFC 9457 problem details; error repeats detail for readers of the original {\"error\": ...} bodies")
                .required(List.of("type", "title", "status", "detail", "error"))
                .properties(ordered(
                        "type", string("about:blank"),
                        "title", string(titleDescription),
                        "status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)).description("HTTP status"),
                        "detail", string(detailDescription),
                        "error", string("Same as detail"),
                        "trace_id", string("Server errors (5xx) only: 32 hex digits, the traceId of the log line and trace")));
    }

    private static void addIfAbsent(APIResponses responses, String code, String description) {
        if (!responses.hasAPIResponse(code)) {
            responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description));
        }
    }

    private static Content problemContent() {
        return OASFactory.createContent().addMediaType(ApiProblem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM)));
    }

    /** Name/schema pairs in the given order (the committed document must not change from run to run). */
    private static Map<String, Schema> ordered(Object... nameSchemaPairs) {
        Map<String, Schema> properties = new LinkedHashMap<>();
        for (int i = 0; i < nameSchemaPairs.length; i += 2) {
            properties.put((String) nameSchemaPairs[i], (Schema) nameSchemaPairs[i + 1]);
        }
        return properties;
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).description(description);
    }
}
