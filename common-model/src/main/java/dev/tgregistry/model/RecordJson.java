package dev.tgregistry.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON mapping of the record contracts, used by producers, consumers and tests alike. */
public final class RecordJson {
    public static final ObjectMapper MAPPER = configure(new ObjectMapper());

    private RecordJson() {
    }

    /**
     * Applies the contract's settings to a mapper: ISO-8601 instants, unknown fields tolerated, a duplicated member
     * refused (which of two values was meant is unknowable), integers only as JSON integers or digit strings.
     */
    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return mapper.registerModule(new JavaTimeModule())
                .registerModule(StrictIntegers.module())
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    }

    public static String write(Object record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses and validates; throws {@link ContractViolation} for anything that is not a valid record. */
    public static <T extends RegistryRecord> T read(byte[] json, Class<T> type) {
        return read(new String(json, java.nio.charset.StandardCharsets.UTF_8), type);
    }

    /** Parses and validates; throws {@link ContractViolation} for anything that is not a valid record. */
    public static <T extends RegistryRecord> T read(String json, Class<T> type) {
        T record;
        try {
            record = MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new ContractViolation("$", "not a valid " + type.getSimpleName() + " JSON: " + JsonErrors.describe(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (record == null) {
            throw new ContractViolation("$", "empty record");
        }
        record.validate();
        return record;
    }
}
