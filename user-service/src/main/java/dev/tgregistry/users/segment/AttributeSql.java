package dev.tgregistry.users.segment;

import dev.tgregistry.users.segment.SegmentRules.AttributeTest;

import java.util.Arrays;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * An {@code attribute} test in SQL. It reads the flattened attributes (V23, {@code profile_attribute_values}: a row
 * per path holding a value other than JSON null, with the text of a string, number or boolean), one index range
 * instead of every profile's JSON; or, where the flattening cannot answer, the exact test on the profile's JSON
 * ({@code #>>} equal as text, {@code #>} not JSON null). That is a value spelling a JSON object or array (kept without
 * its text), and a path position that {@code #>} reads as an array index the flattening does not spell (negative,
 * signed, with leading zeros or blanks).
 */
final class AttributeSql {
    private static final Pattern ARRAY_INDEX = Pattern.compile("\\s*[+-]?[0-9]+");
    private static final Pattern POSITION = Pattern.compile("0|[1-9][0-9]*");

    private AttributeSql() {
    }

    /** Whether the flattened attributes answer {@code test}. */
    static boolean flattened(AttributeTest test) {
        boolean plainPath = Arrays.stream(test.path())
                .noneMatch(key -> ARRAY_INDEX.matcher(key).matches() && !POSITION.matcher(key).matches());
        return plainPath && (test.equals() == null || !(test.equals().startsWith("{") || test.equals().startsWith("[")));
    }

    /** The rows {@code a} of {@code profile_attribute_values} that satisfy the positive form of a {@link #flattened} test. */
    static String flattenedRows(AttributeTest test, Function<Object, String> parameter) {
        String path = "a.path = " + parameter.apply(test.path()) + "::text[]";
        return test.equals() == null ? path : path + " AND a.value = " + parameter.apply(test.equals());
    }

    /** The test on {@code json}, a profile's attributes (null for a user without a profile: unset). */
    static String exact(AttributeTest test, String json, Function<Object, String> parameter) {
        String path = parameter.apply(test.path()) + "::text[]";
        if (test.equals() != null) {
            return "(" + json + " #>> " + path + ") = " + parameter.apply(test.equals());
        }
        // a key holding JSON null counts as unset
        return "COALESCE(jsonb_typeof(" + json + " #> " + path + "), 'null') " + (test.negated() ? "=" : "<>") + " 'null'";
    }
}
