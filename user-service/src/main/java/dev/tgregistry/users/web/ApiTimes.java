package dev.tgregistry.users.web;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Timestamps a caller sends (query parameters, profile fields): ISO-8601 with an offset, within the years the
 * registry can mean (1970 to 2100), so that no time past what Java or PostgreSQL can hold ever reaches a statement.
 */
public final class ApiTimes {
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("2101-01-01T00:00:00Z");

    private ApiTimes() {
    }

    /** The instant {@code value} names; a 400 naming {@code field} when it is no ISO-8601 time or out of range. */
    public static Instant parse(String field, String value) {
        Instant at;
        try {
            at = OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeException notATime) {
            throw ApiErrors.badRequest(field + " must be an ISO-8601 time with offset, e.g. 2026-01-31T10:15:00Z");
        }
        if (at.isBefore(EARLIEST) || !at.isBefore(LATEST)) {
            throw ApiErrors.badRequest(field + " must lie between 1970-01-01 and 2100-12-31");
        }
        return at;
    }
}
