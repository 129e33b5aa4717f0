package dev.tgregistry.users.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgregistry.model.ContractViolation;
import dev.tgregistry.model.JsonErrors;
import dev.tgregistry.model.StorableJson;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Reads every JSON request body (the resources take a {@link JsonNode}) and checks it as a whole before a resource
 * sees it, with the bot records' rules: malformed, duplicated, too deep or too long JSON, a NUL or lone surrogate in
 * any name or string, or a number beyond a double, is a 400 naming the member ({@code attributes.k[1]}), never a
 * silent {@code ?}, an {@code "Infinity"} or a statement PostgreSQL refuses. An empty body reads as null.
 */
@Provider
@Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json", "application/*+json"})
public class JsonBodyReader implements MessageBodyReader<JsonNode> {
    private final ObjectMapper json;

    public JsonBodyReader(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return JsonNode.class.isAssignableFrom(type);
    }

    @Override
    public JsonNode readFrom(Class<JsonNode> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                             MultivaluedMap<String, String> headers, InputStream body) throws IOException {
        try {
            JsonNode tree = JsonErrors.readTree(json, body);
            StorableJson.check("", tree);
            return tree.isMissingNode() ? null : tree;
        } catch (ContractViolation refused) {
            throw ApiErrors.badRequest(refused.getMessage());
        }
    }
}
