package dev.tgregistry.web;

import jakarta.validation.Constraint;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * How both services read an integer path or query parameter ({@code @QueryParam("limit") @DefaultValue("100")
 * @Min(...) @Max(...) int limit}): an empty value is the {@code @DefaultValue} (or null), an int is
 * {@link Integer#parseInt} of the stripped text, a long is ASCII digits with an optional minus sign (ids: no
 * {@code +}, no other digits). Text that is no such number is a 400 with the message of the parameter's first
 * constraint (its range, e.g. {@code limit must be between 1 and 1000}), the same answer as a number outside it;
 * without a constraint, {@code <name> must be an integer}. Ranges are checked by Hibernate Validator
 * ({@link ProblemMappers#violated}), so each parameter's rule is written once, on the parameter. A boolean is
 * {@code true} or {@code false} in any letter case, anything else a 400 ({@code <name> must be true or false}).
 */
@Provider
public class TypedParameters implements ParamConverterProvider {
    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        boolean isInt = rawType == int.class || rawType == Integer.class;
        boolean isLong = rawType == long.class || rawType == Long.class;
        boolean isBoolean = rawType == boolean.class || rawType == Boolean.class;
        String name = annotations == null ? null : name(annotations);
        if ((!isInt && !isLong && !isBoolean) || name == null) {
            return null;
        }
        if (isBoolean) {
            return (ParamConverter<T>) strictBoolean(name, defaultValue(annotations));
        }
        String refusal = refusal(name, annotations);
        String fallback = defaultValue(annotations);
        return (ParamConverter<T>) new ParamConverter<Object>() {
            @Override
            public Object fromString(String value) {
                String text = value == null || value.isBlank() ? fallback : value.strip();
                if (text == null) {
                    return null;
                }
                try {
                    if (isInt) {
                        return Integer.parseInt(text);
                    }
                    return asciiLong(text); // (not a conditional expression: that would widen an int to a Long)
                } catch (NumberFormatException notANumber) {
                    throw new ApiException(400, refusal);
                }
            }

            @Override
            public String toString(Object value) {
                return String.valueOf(value);
            }
        };
    }

    /** true or false (any letter case); anything else is a 400 rather than JAX-RS's silent false. */
    private static ParamConverter<Boolean> strictBoolean(String name, String fallback) {
        return new ParamConverter<>() {
            @Override
            public Boolean fromString(String value) {
                String text = value == null || value.isBlank() ? fallback : value.strip();
                if (text == null) {
                    return null;
                }
                if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                    return Boolean.valueOf(text);
                }
                throw new ApiException(400, name + " must be true or false");
            }

            @Override
            public String toString(Boolean value) {
                return String.valueOf(value);
            }
        };
    }

    private static long asciiLong(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        if (text.length() == start || text.length() - start > 19) {
            throw new NumberFormatException(text);
        }
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                throw new NumberFormatException(text);
            }
        }
        return Long.parseLong(text);
    }

    private static String name(Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof QueryParam query) {
                return query.value();
            }
            if (annotation instanceof PathParam path) {
                return path.value();
            }
            if (annotation instanceof HeaderParam header) {
                return header.value();
            }
        }
        return null;
    }

    private static String defaultValue(Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof DefaultValue fallback) {
                return fallback.value();
            }
        }
        return null;
    }

    /** The first constraint's own message (a custom one, not a {@code {template}}), else "must be an integer". */
    private static String refusal(String name, Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            if (!annotation.annotationType().isAnnotationPresent(Constraint.class)) {
                continue;
            }
            try {
                Object message = annotation.annotationType().getMethod("message").invoke(annotation);
                if (message instanceof String text && !text.startsWith("{")) {
                    return text;
                }
            } catch (ReflectiveOperationException noMessage) {
                // every Bean Validation constraint has message(); one without it is skipped
            }
        }
        return name + " must be an integer";
    }
}
