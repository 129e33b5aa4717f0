package dev.tgregistry.users.web;

import dev.tgregistry.web.NotFound;
import dev.tgregistry.web.ApiException;

/** Body-member checks shared by the resources, and the message of the {@code id} path parameter; each names the field. */
public final class ApiErrors {
    private ApiErrors() {
    }

    /** The message of every {@code {id}} path parameter that is not a user id ({@code @Positive(message = ID)}). */
    public static final String ID = "id must be a positive integer";

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static NotFound notFound(String message) {
        return new NotFound(message);
    }

    /** A Telegram user id given as text: a positive integer that fits in 64 bits (ASCII digits only). */
    public static long userId(String parameter, String value) {
        long id = userIdOrZero(value);
        if (id > 0) {
            return id;
        }
        throw badRequest(parameter + " must be a positive integer");
    }

    /** {@link #userId}'s reading without the error: 0 when {@code value} is no user id. */
    public static long userIdOrZero(String value) {
        if (value == null) {
            return 0;
        }
        String digits = value.strip();
        if (digits.isEmpty() || digits.length() > 19) {
            return 0;
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
        }
        try {
            return Math.max(Long.parseLong(digits), 0);
        } catch (NumberFormatException beyond64Bits) {
            // 19 digits above 9223372036854775807: same answer as any other non-id
            return 0;
        }
    }

}
