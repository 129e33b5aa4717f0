package dev.tgregistry.users.web;

import dev.tgregistry.model.ApiProblem;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the generated OpenAPI document say what the API really does, for every endpoint including ones added later:
 * ids are strings ({@code user_id}, {@code *_user_ids}: the JSON carries 64-bit ids as text), every {@code /api/*}
 * operation needs the bearer API key (so Swagger UI's Authorize / Try-it sends it) and may answer 401 or 500, and
 * every error response is {@code application/problem+json}. Registered by {@code mp.openapi.filter}.
 */
public class OpenApiContract implements OASFilter {
    static final String API_KEY_SCHEME = "api_key";
    static final String PROBLEM = "Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSecurityScheme(API_KEY_SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("An API key from APP_API_KEYS, sent as Authorization: Bearer <key>. Rights: read (every GET"
                        + " and POST /api/users/validate), write, erase; a key without the right gets 403."));
        openAPI.getComponents().addSchema(PROBLEM, problemSchema());
        if (openAPI.getComponents().getSchemas() != null) {
            openAPI.getComponents().getSchemas().values().forEach(OpenApiContract::idsAsStrings);
        }
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (!path.startsWith("/api/")) {
                return;
            }
            for (Operation operation : item.getOperations().values()) {
                operation.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(API_KEY_SCHEME)));
                APIResponses responses = operation.getResponses();
                if (responses == null) {
                    responses = OASFactory.createAPIResponses();
                    operation.setResponses(responses);
                }
                addIfAbsent(responses, "401", "Missing or wrong API key");
                addIfAbsent(responses, "500", "Unexpected error; the body's trace_id names the log line (and trace)");
                responses.getAPIResponses().forEach((code, response) -> {
                    if (code.startsWith("4") || code.startsWith("5")) {
                        response.setContent(problemContent());
                    }
                });
            }
        });
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

    /** {@link ApiProblem} as JSON: RFC 9457 members plus {@code error} and, for a 5xx, {@code trace_id}. */
    static Schema problemSchema() {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("RFC 9457 problem details; error repeats detail for readers of the original {\"error\": ...} bodies")
                .required(List.of("type", "title", "status", "detail", "error"))
                .properties(ordered(
                        "type", string("about:blank"),
                        "title", string("Reason phrase, e.g. Bad Request"),
                        "status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)).description("HTTP status"),
                        "detail", string("What was wrong, naming the parameter or field"),
                        "error", string("Same as detail"),
                        "trace_id", string("Server errors (5xx) only: 32 hex digits, the traceId of the log line and trace")));
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

    /** Walks a schema and its nested properties and items. */
    private static void idsAsStrings(Schema schema) {
        if (schema == null || schema.getProperties() == null) {
            return;
        }
        schema.getProperties().forEach((name, property) -> {
            if (name.equals("user_id")) {
                asIdString(property);
            } else if (name.endsWith("user_ids") && property.getItems() != null) {
                asIdString(property.getItems());
            } else {
                idsAsStrings(property);
                idsAsStrings(property.getItems());
            }
        });
    }

    private static void asIdString(Schema schema) {
        if (schema.getRef() != null) {
            return;
        }
        schema.setType(List.of(Schema.SchemaType.STRING));
        schema.setFormat(null);
        schema.setPattern("^[1-9][0-9]{0,18}$");
        schema.setDescription("Telegram user id as a string (64-bit ids do not fit a JavaScript number)");
        schema.setExample("95450323");
    }
}
