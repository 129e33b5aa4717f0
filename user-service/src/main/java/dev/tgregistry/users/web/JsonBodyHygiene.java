package dev.tgregistry.users.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.model.ContractViolation;
import dev.tgregistry.model.StorableJson;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.IOException;

/**
 * Every JSON request body is checked as a whole before a resource sees it, with the rules of the bot records
 * ({@link StorableJson}): a NUL or lone surrogate in any name or string, or a number beyond a double, is a 400
 * naming the member, never a silent {@code ?}, an {@code "Infinity"} or a refused SQL statement.
 */
@Provider
public class JsonBodyHygiene implements ReaderInterceptor {
    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Object body = context.proceed();
        if (body instanceof JsonNode json) {
            try {
                StorableJson.check("", json);
            } catch (ContractViolation refused) {
                throw ApiErrors.badRequest(refused.getMessage());
            }
        }
        return body;
    }
}
