package dev.tgregistry.users.web;

import dev.tgregistry.web.OpenApiProblems;
import dev.tgregistry.web.OpenApiShapes;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.List;

/**
 * Makes the generated OpenAPI document say what the API really does, for every endpoint including ones added later:
 * ids are strings ({@code user_id}, {@code *_user_ids}: the JSON carries 64-bit ids as text), every {@code /api/*}
 * operation needs the bearer API key (so Swagger UI's Authorize / Try-it sends it) and may answer 401 or 500, and
 * every error response is {@code application/problem+json}; a user id in a path ({@code {id}}) is such a string too;
 * members are required and nullable as {@link OpenApiShapes} says. Registered by {@code mp.openapi.filter}.
 */
public class OpenApiContract implements OASFilter {
    static final String API_KEY_SCHEME = "api_key";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSecurityScheme(API_KEY_SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("An API key from APP_API_KEYS, sent as Authorization: Bearer <key>. Rights: read (every GET"
                        + " and POST /api/users/validate), write, erase; a key without the right gets 403."));
        openAPI.getComponents().addSchema(OpenApiProblems.PROBLEM, OpenApiProblems.problemSchema("Reason phrase, e.g. Bad Request",
                "What was wrong, naming the parameter or field"));
        if (openAPI.getComponents().getSchemas() != null) {
            openAPI.getComponents().getSchemas().values().forEach(OpenApiContract::idsAsStrings);
        }
        OpenApiProblems.guardOperations(openAPI, path -> path.startsWith("/api/"), API_KEY_SCHEME, "Missing or wrong API key");
        OpenApiShapes.responseMembersRequired(openAPI);
        OpenApiShapes.retryAfterOn503(openAPI);
        OpenApiShapes.typesFromAlternatives(openAPI);
        OpenApiShapes.nullInNullableEnums(openAPI);
        OpenApiShapes.forEachOperation(openAPI, operation -> {
            if (operation.getParameters() != null) {
                operation.getParameters().stream()
                        .filter(parameter -> parameter.getIn() == Parameter.In.PATH && parameter.getName().equals("id"))
                        .forEach(parameter -> asIdString(parameter.getSchema()));
            }
        });
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
        schema.setMinimum(null); // a path id's @Positive, said by the pattern for a string
        schema.setExclusiveMinimum(null);
        schema.setPattern("^[1-9][0-9]{0,18}$");
        schema.setDescription("Telegram user id as a string (64-bit ids do not fit a JavaScript number)");
        schema.setExample("95450323");
    }
}
