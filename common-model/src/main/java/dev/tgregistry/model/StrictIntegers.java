package dev.tgregistry.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Integer members (ids, counts, codes) take a JSON integer or a string of ASCII digits (ids travel as strings to
 * JavaScript clients) and nothing else: Jackson's defaults would read {@code 12.5}, {@code 1e3} and
 * {@code " 123"} as 12, 1000 and 123.
 */
final class StrictIntegers {
    private static final Pattern DIGITS = Pattern.compile("-?[0-9]{1,19}");

    private StrictIntegers() {
    }

    static SimpleModule module() {
        SimpleModule module = new SimpleModule("strict-integers");
        module.addDeserializer(Long.class, new LongDeserializer(Long.class));
        module.addDeserializer(long.class, new LongDeserializer(long.class));
        module.addDeserializer(Integer.class, new IntDeserializer(Integer.class));
        module.addDeserializer(int.class, new IntDeserializer(int.class));
        return module;
    }

    private static long read(JsonParser parser, DeserializationContext context, Class<?> type) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            return parser.getLongValue();
        }
        if (parser.currentToken() == JsonToken.VALUE_STRING && DIGITS.matcher(parser.getText()).matches()) {
            try {
                return Long.parseLong(parser.getText());
            } catch (NumberFormatException beyond64Bits) {
                // reported below
            }
        }
        return (Long) context.reportInputMismatch(type, "expected an integer");
    }

    private static final class LongDeserializer extends StdScalarDeserializer<Long> {
        LongDeserializer(Class<?> type) {
            super(type);
        }

        @Override
        public Long deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return read(parser, context, handledType());
        }
    }

    private static final class IntDeserializer extends StdScalarDeserializer<Integer> {
        IntDeserializer(Class<?> type) {
            super(type);
        }

        @Override
        public Integer deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            long value = read(parser, context, handledType());
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                return (Integer) context.reportInputMismatch(handledType(), "expected an integer of at most 10 digits");
            }
            return (int) value;
        }
    }
}
