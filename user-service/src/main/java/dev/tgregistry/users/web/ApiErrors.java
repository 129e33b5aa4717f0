package dev.tgregistry.users.web;

import dev.tgregistry.web.ApiException;

/** Parameter checks shared by the resources; each failure names the parameter. */
public final class ApiErrors {
    private ApiErrors() {
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    /** A Telegram user id given as text: a positive integer that fits in 64 bits (ASCII digits only). */
    public static long userId(String parameter, String value) {
        if (value != null) {
            String digits = value.strip();
            if (!digits.isEmpty() && digits.length() <= 19 && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                try {
                    long id = Long.parseLong(digits);
                    if (id > 0) {
                        return id;
                    }
                } catch (NumberFormatException beyond64Bits) {
                    // 19 digits above 9223372036854775807: same answer as any other non-id
                }
            }
        }
        throw badRequest(parameter + " must be a positive integer");
    }

    /** An optional integer parameter in {@code [min, max]}, {@code fallback} when absent. */
    public static int intInRange(String parameter, String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the same message as an out-of-range value
        }
        throw badRequest(parameter + " must be between " + min + " and " + max);
    }
}
