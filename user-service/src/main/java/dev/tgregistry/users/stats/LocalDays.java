package dev.tgregistry.users.stats;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * "Today" and "the last 7 days" as instants, for a time zone: today runs from the zone's local midnight to the next
 * (23 or 25 hours on a daylight-saving change); the last 7 days are today and the 6 days before it.
 */
public record LocalDays(Instant todayStart, Instant tomorrowStart, Instant weekStart) {

    public static LocalDays of(ZoneId zone, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        return new LocalDays(today.atStartOfDay(zone).toInstant(), today.plusDays(1).atStartOfDay(zone).toInstant(),
                today.minusDays(6).atStartOfDay(zone).toInstant());
    }
}
