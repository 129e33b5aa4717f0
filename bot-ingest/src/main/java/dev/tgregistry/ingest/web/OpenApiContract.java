package dev.tgregistry.ingest.web;

import dev.tgregistry.web.OpenApiProblems;
import dev.tgregistry.web.OpenApiShapes;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.List;

/**
 * Makes the generated OpenAPI document say what bot-ingest really does, for every ingest endpoint: the secret header
 * as an apiKey scheme (so Swagger UI's Try-it sends it), 401 and 500 documented, every error as
 * {@code application/problem+json} (a 503 with its Retry-After), the Telegram endpoint's body as Telegram Update objects,
 * and presence and nullability as {@link OpenApiShapes} says (a record's required members: {@code @Schema(required = true)}
 * in common-model; the others may be null or absent).
 * Registered by {@code mp.openapi.filter}.
 */
public class OpenApiContract implements OASFilter {
    static final String SECRET_SCHEME = "ingest_secret";
    static final String TELEGRAM_PATH = "/telegram/updates";
    static final String JSON_OBJECT = "JsonObject";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSecurityScheme(SECRET_SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name(IngestSecretFilter.HEADER)
                .description("The shared secret (APP_INGEST_SECRET); Telegram's webhook sends it as set by setWebhook's secret_token"));
        openAPI.getComponents().addSchema(OpenApiProblems.PROBLEM, OpenApiProblems.problemSchema("Reason phrase",
                "What was wrong, naming the item and field, e.g. [3].user_id"));
        // Jackson's tree types (a bot event's free-form details) would otherwise be documented as Java beans
        openAPI.getComponents().addSchema(JSON_OBJECT, OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .additionalPropertiesBoolean(true).description("Any JSON object"));
        openAPI.getComponents().removeSchema("ObjectNode");
        openAPI.getComponents().removeSchema("JsonNode");
        openAPI.getComponents().removeSchema("JsonNodeType");
        openAPI.getComponents().getSchemas().values().forEach(schema -> {
            if (schema.getProperties() != null) {
                schema.getProperties().values().stream()
                        .filter(property -> "#/components/schemas/ObjectNode".equals(property.getRef()))
                        .forEach(property -> property.setRef(JSON_OBJECT));
            }
        });
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        OpenApiProblems.guardOperations(openAPI, IngestSecretFilter::guards, SECRET_SCHEME, "Missing or wrong secret header");
        OpenApiShapes.responseMembersRequired(openAPI);
        OpenApiShapes.optionalRequestMembersNullable(openAPI);
        OpenApiShapes.retryAfterOn503(openAPI);
        OpenApiShapes.typesFromAlternatives(openAPI);
        var telegram = openAPI.getPaths().getPathItem(TELEGRAM_PATH);
        if (telegram != null) {
            for (Operation operation : telegram.getOperations().values()) {
                operation.setRequestBody(OASFactory.createRequestBody().required(true)
                        .description("One Telegram Update (https://core.telegram.org/bots/api#update), unchanged, or an"
                                + " array of them; at most 1,000 items and 1 MiB")
                        .content(OASFactory.createContent().addMediaType("application/json",
                                OASFactory.createMediaType().schema(oneOrArrayOf(OASFactory.createSchema()
                                        .type(List.of(Schema.SchemaType.OBJECT))
                                        .description("Telegram Update").additionalPropertiesBoolean(true)
                                        .addProperty("update_id", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER))))))));
            }
        }
    }

    static Schema oneOrArrayOf(Schema item) {
        return OASFactory.createSchema().oneOf(List.of(item,
                OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY)).items(item).maxItems(1000)));
    }
}
