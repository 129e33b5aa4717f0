package dev.tgregistry.users.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.tgregistry.users.web.ApiErrors;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.UncheckedIOException;

/**
 * Segment bodies and stored filters as JSON. A body is read strictly: an unknown member (a mistyped filter would
 * select more people than meant), a value of the wrong JSON type or a string where a boolean or number belongs is
 * a 400 naming the member; a single value where a list belongs is read as a list of one.
 */
@ApplicationScoped
public class SegmentJson {
    private final ObjectMapper strict;

    @SuppressWarnings("deprecation") // MapperFeature on a copy: the only per-mapper switch for scalar coercion
    public SegmentJson(ObjectMapper json) {
        this.strict = json.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
    }

    SegmentRequest request(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiErrors.badRequest("the body must be a JSON object with name and filter");
        }
        try {
            return strict.treeToValue(body, SegmentRequest.class);
        } catch (UnrecognizedPropertyException unknown) {
            throw ApiErrors.badRequest(path(unknown) + " is not a member of a segment (see SegmentFilter)");
        } catch (JsonMappingException wrongType) {
            throw ApiErrors.badRequest(path(wrongType) + " has the wrong type");
        } catch (JsonProcessingException malformed) {
            throw ApiErrors.badRequest("the body is not a segment");
        }
    }

    String write(SegmentFilter filter) {
        try {
            return strict.writeValueAsString(filter);
        } catch (JsonProcessingException unexpected) {
            throw new UncheckedIOException(unexpected);
        }
    }

    SegmentFilter read(String stored) {
        try {
            return strict.readValue(stored, SegmentFilter.class);
        } catch (JsonProcessingException unexpected) {
            throw new UncheckedIOException(unexpected);
        }
    }

    private static String path(JsonMappingException failure) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference step : failure.getPath()) {
            if (step.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                path.append('[').append(step.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "the body" : path.toString();
    }
}
