package dev.tgregistry.users.web;

import dev.tgregistry.web.OpenApiProblems;
import dev.tgregistry.web.OpenApiShapes;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.List;

/**
 * Makes the generated OpenAPI document say what the API really does, for every endpoint including ones added later:
 * ids are strings ({@code user_id}, {@code *_user_ids}: the JSON carries 64-bit ids as text), every {@code /api/*}
 * operation may answer 401 or 500, and every error response is {@code application/problem+json}; a user id in a
 * path ({@code {id}}) is such a string too; members are required and nullable as {@link OpenApiShapes} says.
 * Registered by {@code mp.openapi.filter}. The bearer API key scheme is defined here; Quarkus adds the requirement
 * to each {@code @RolesAllowed} operation ({@code auto-add-security}), which {@link #keyRequirements} words as this
 * API does (so Swagger UI's Authorize / Try-it sends the key).
 */
public class OpenApiContract implements OASFilter {
    private static final String QUARKUS_401 = "Not Authorized";
    private static final String QUARKUS_403 = "Not Allowed";
    static final String API_KEY_SCHEME = "api_key";
    static final String UNAUTHORIZED = "Missing or wrong API key";

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
        keyRequirements(openAPI);
        OpenApiProblems.problemResponses(openAPI, path -> path.startsWith(ApiKeyMechanism.GUARDED), UNAUTHORIZED);
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

    /**
     * The requirement Quarkus added names the roles as scopes, which an http bearer scheme has none of: it becomes the
     * plain key requirement. Its 401 and 403 get this API's words; a 403 goes where no key can lack the right (read:
     * every key has it).
     */
    private static void keyRequirements(OpenAPI openAPI) {
        OpenApiShapes.forEachOperation(openAPI, operation -> {
            if (operation.getSecurity() == null || operation.getSecurity().isEmpty()) {
                return;
            }
            List<String> rights = operation.getSecurity().stream()
                    .flatMap(requirement -> requirement.getSchemes().values().stream())
                    .filter(scopes -> scopes != null).flatMap(List::stream).distinct().toList();
            operation.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(API_KEY_SCHEME)));
            APIResponses responses = operation.getResponses();
            APIResponse unauthorized = responses.getAPIResponse("401");
            if (unauthorized != null && QUARKUS_401.equals(unauthorized.getDescription())) {
                unauthorized.setDescription(UNAUTHORIZED);
            }
            APIResponse forbidden = responses.getAPIResponse("403");
            if (forbidden != null && QUARKUS_403.equals(forbidden.getDescription())) {
                List<String> beyondRead = rights.stream().filter(right -> !right.equals(Rights.READ)).toList();
                if (beyondRead.isEmpty()) {
                    responses.removeAPIResponse("403");
                } else {
                    forbidden.setDescription("The API key lacks the " + String.join(" or ", beyondRead) + " right");
                }
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
