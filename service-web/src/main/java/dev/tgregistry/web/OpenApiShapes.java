package dev.tgregistry.web;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Presence and nullability in both services' OpenAPI documents (for their {@code mp.openapi.filter}), so that a
 * client generator types every member right:
 * <ul>
 *   <li>a schema only responses use lists every member as {@code required}: the services write every member of a
 *       response, {@code null} included (a member that may be null says so with {@code @Schema(nullable = true)});</li>
 *   <li>a schema a request body uses keeps the {@code required} its record declares, and (where the service reads
 *       {@code null} as absent) its other members are marked nullable;</li>
 *   <li>a member described by alternatives (oneOf) has no other type beside them;</li>
 *   <li>every 503 names its {@code Retry-After} header.</li>
 * </ul>
 */
public final class OpenApiShapes {
    private OpenApiShapes() {
    }

    /** Component names reachable from any request body. */
    public static Set<String> requestSchemas(OpenAPI openAPI) {
        Set<String> names = new LinkedHashSet<>();
        forEachOperation(openAPI, operation -> {
            if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                for (MediaType media : operation.getRequestBody().getContent().getMediaTypes().values()) {
                    collect(openAPI, media.getSchema(), names);
                }
            }
        });
        return names;
    }

    /** Every member of a response-only object schema is required (see the class comment). */
    public static void responseMembersRequired(OpenAPI openAPI) {
        Set<String> requests = requestSchemas(openAPI);
        schemas(openAPI).forEach((name, schema) -> {
            if (!requests.contains(name) && schema.getProperties() != null && !schema.getProperties().isEmpty()
                    && (schema.getRequired() == null || schema.getRequired().isEmpty())) {
                schema.setRequired(new ArrayList<>(schema.getProperties().keySet()));
            }
        });
    }

    /** The members of request schemas that are not required may be sent as null (read as absent). */
    public static void optionalRequestMembersNullable(OpenAPI openAPI) {
        Map<String, Schema> schemas = schemas(openAPI);
        for (String name : requestSchemas(openAPI)) {
            Schema schema = schemas.get(name);
            if (schema == null || schema.getProperties() == null) {
                continue;
            }
            List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
            schema.getProperties().forEach((member, property) -> {
                if (!required.contains(member)) {
                    schema.addProperty(member, nullable(property));
                }
            });
        }
    }

    /** {@code schema} allowing null as well: a type list with "null", or for a reference {@code anyOf [ref, null]}. */
    public static Schema nullable(Schema schema) {
        if (schema.getOneOf() != null && !schema.getOneOf().isEmpty()) {
            boolean allowsNull = schema.getOneOf().stream().anyMatch(member -> member.getType() != null
                    && member.getType().contains(Schema.SchemaType.NULL));
            if (!allowsNull) {
                List<Schema> members = new ArrayList<>(schema.getOneOf());
                members.add(OASFactory.createSchema().type(List.of(Schema.SchemaType.NULL)));
                schema.setOneOf(members);
            }
            return schema;
        }
        if (schema.getRef() != null) {
            return OASFactory.createSchema().anyOf(List.of(OASFactory.createSchema().ref(schema.getRef()),
                    OASFactory.createSchema().type(List.of(Schema.SchemaType.NULL)))).description(schema.getDescription());
        }
        if (schema.getType() != null && !schema.getType().isEmpty() && !schema.getType().contains(Schema.SchemaType.NULL)) {
            List<Schema.SchemaType> types = new ArrayList<>(schema.getType());
            types.add(Schema.SchemaType.NULL);
            schema.setType(types);
        }
        return schema;
    }

    /**
     * A member described by alternatives ({@code @Schema(oneOf = ...)}) takes its types from them alone: the
     * generator also writes the Java field's type beside them (e.g. {@code type: [integer, null]} beside
     * {@code oneOf: [integer, string]}), which would refuse the other alternatives. A "null" in that type list becomes
     * a null alternative.
     */
    public static void typesFromAlternatives(OpenAPI openAPI) {
        schemas(openAPI).values().forEach(OpenApiShapes::typesFromAlternatives);
    }

    private static void typesFromAlternatives(Schema schema) {
        if (schema == null) {
            return;
        }
        List<Schema> alternatives = schema.getOneOf();
        if (alternatives != null && !alternatives.isEmpty() && schema.getType() != null && !schema.getType().isEmpty()) {
            boolean nullable = schema.getType().contains(Schema.SchemaType.NULL);
            schema.setType(null);
            schema.setFormat(null);
            if (nullable && alternatives.stream().noneMatch(a -> a.getType() != null && a.getType().contains(Schema.SchemaType.NULL))) {
                List<Schema> withNull = new ArrayList<>(alternatives);
                withNull.add(OASFactory.createSchema().type(List.of(Schema.SchemaType.NULL)));
                schema.setOneOf(withNull);
            }
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(OpenApiShapes::typesFromAlternatives);
        }
        typesFromAlternatives(schema.getItems());
    }

    /**
     * A nullable member with an enumeration lists null among its values: JSON Schema checks {@code enum} on its own,
     * so without it a null the type allows would still be refused.
     */
    public static void nullInNullableEnums(OpenAPI openAPI) {
        schemas(openAPI).values().forEach(OpenApiShapes::nullInNullableEnums);
    }

    private static void nullInNullableEnums(Schema schema) {
        if (schema == null) {
            return;
        }
        if (schema.getEnumeration() != null && schema.getType() != null && schema.getType().contains(Schema.SchemaType.NULL)
                && !schema.getEnumeration().contains(null)) {
            List<Object> values = new ArrayList<>(schema.getEnumeration());
            values.add(null);
            schema.setEnumeration(values);
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(OpenApiShapes::nullInNullableEnums);
        }
        nullInNullableEnums(schema.getItems());
    }

    /** Every documented 503 names the {@code Retry-After} header (seconds) it carries. */
    public static void retryAfterOn503(OpenAPI openAPI) {
        forEachOperation(openAPI, operation -> {
            if (operation.getResponses() != null && operation.getResponses().hasAPIResponse("503")) {
                operation.getResponses().getAPIResponse("503").addHeader("Retry-After", OASFactory.createHeader()
                        .description("Seconds to wait before retrying")
                        .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)).minimum(java.math.BigDecimal.ZERO)));
            }
        });
    }

    public static void forEachOperation(OpenAPI openAPI, java.util.function.Consumer<Operation> action) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(action));
    }

    private static Map<String, Schema> schemas(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null) {
            return Map.of();
        }
        return openAPI.getComponents().getSchemas();
    }

    private static void collect(OpenAPI openAPI, Schema schema, Set<String> names) {
        if (schema == null) {
            return;
        }
        if (schema.getRef() != null) {
            String name = schema.getRef().substring(schema.getRef().lastIndexOf('/') + 1);
            if (names.add(name)) {
                collect(openAPI, schemas(openAPI).get(name), names);
            }
            return;
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(property -> collect(openAPI, property, names));
        }
        collect(openAPI, schema.getItems(), names);
        for (List<Schema> group : java.util.Arrays.asList(schema.getOneOf(), schema.getAnyOf(), schema.getAllOf())) {
            if (group != null) {
                group.forEach(member -> collect(openAPI, member, names));
            }
        }
        if (schema.getAdditionalPropertiesSchema() != null) {
            collect(openAPI, schema.getAdditionalPropertiesSchema(), names);
        }
    }
}
