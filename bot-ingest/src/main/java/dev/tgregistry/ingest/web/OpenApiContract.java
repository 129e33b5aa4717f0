package dev.tgregistry.ingest.web;

import dev.tgregistry.model.ApiProblem;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the generated OpenAPI document say what bot-ingest really does, for every ingest endpoint: the secret header
 * as an apiKey scheme (so Swagger UI's Try-it sends it), 401 and 500 documented, every error as
 * {@code application/problem+json}, and the Telegram endpoint's body as Telegram Update objects.
 * Registered by {@code mp.openapi.filter}.
 */
public class OpenApiContract implements OASFilter {
    static final String SECRET_SCHEME = "ingest_secret";
    static final String PROBLEM = "Problem";
    static final String TELEGRAM_PATH = "/telegram/updates";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSecurityScheme(SECRET_SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name(IngestSecretFilter.HEADER)
                .description("The shared secret (APP_INGEST_SECRET); Telegram's webhook sends it as set by setWebhook's secret_token"));
        openAPI.getComponents().addSchema(PROBLEM, problemSchema());
        // Jackson's tree types (a bot event's free-form details) would otherwise be documented as Java beans
        openAPI.getComponents().addSchema("ObjectNode", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("Any JSON object"));
        openAPI.getComponents().removeSchema("JsonNode");
        openAPI.getComponents().removeSchema("JsonNodeType");
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (!path.startsWith("/telegram/") && !path.startsWith("/bot/")) {
                return;
            }
            for (Operation operation : item.getOperations().values()) {
                operation.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(SECRET_SCHEME)));
                APIResponses responses = operation.getResponses();
                if (!responses.hasAPIResponse("401")) {
                    responses.addAPIResponse("401", OASFactory.createAPIResponse().description("Missing or wrong secret header"));
                }
                if (!responses.hasAPIResponse("500")) {
                    responses.addAPIResponse("500", OASFactory.createAPIResponse()
                            .description("Unexpected error; the body's trace_id names the log line (and trace)"));
                }
                responses.getAPIResponses().forEach((code, response) -> {
                    if (code.startsWith("4") || code.startsWith("5")) {
                        response.setContent(problemContent());
                    }
                });
                if (path.equals(TELEGRAM_PATH)) {
                    operation.setRequestBody(OASFactory.createRequestBody().required(true)
                            .description("One Telegram Update (https://core.telegram.org/bots/api#update), unchanged, or an"
                                    + " array of them; at most 1,000 items and 1 MiB")
                            .content(OASFactory.createContent().addMediaType("application/json",
                                    OASFactory.createMediaType().schema(oneOrArrayOf(OASFactory.createSchema()
                                            .type(List.of(Schema.SchemaType.OBJECT))
                                            .description("Telegram Update")
                                            .addProperty("update_id", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER))))))));
                }
            }
        });
    }

    static Schema oneOrArrayOf(Schema item) {
        return OASFactory.createSchema().oneOf(List.of(item,
                OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY)).items(item).maxItems(1000)));
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
                        "title", string("Reason phrase"),
                        "status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)).description("HTTP status"),
                        "detail", string("What was wrong, naming the item and field, e.g. [3].user_id"),
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
}
