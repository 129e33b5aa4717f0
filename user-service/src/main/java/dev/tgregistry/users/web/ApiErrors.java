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

}
