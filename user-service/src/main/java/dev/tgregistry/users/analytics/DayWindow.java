package dev.tgregistry.users.analytics;

import dev.tgregistry.users.db.Quarters;
import dev.tgregistry.users.web.ApiErrors;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The calendar days {@code first..last} of a time zone as instant ranges, each split for the 15-minute rollups
 * (migration V10): {@code [lo, qlo)} and {@code [qhi, hi)} are the day's parts outside whole quarters (empty unless
 * the zone's offset then is not a whole number of quarter hours), {@code [qlo, qhi)} is read from the rollups.
 */
public record DayWindow(ZoneId zone, LocalDate first, LocalDate last) {
    /** The days an analytics window may end on (a bot's own imported history may predate Telegram's bots). */
    static final LocalDate EARLIEST_END = LocalDate.of(1970, 1, 1);
    static final LocalDate LATEST_END = LocalDate.of(2100, 12, 31);
    /**
     * What {@code tz} looks like, for the API documents: an IANA zone name (Europe/Moscow, America/Argentina/Buenos_Aires,
     * Etc/GMT+3, UTC) or an offset -12:00..+14:00; whether the zone exists is checked by {@link #zone}.
     */
    public static final String TZ_PATTERN = "^(?:[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*"
            + "|\\+(?:0[0-9]|1[0-3]):[0-5][0-9]|\\+14:00|-(?:0[0-9]|1[01]):[0-5][0-9]|-12:00)$";

    /** The offsets civil time zones use (UTC-12 to UTC+14); Java alone would take up to ±18:00. */
    private static final int MIN_OFFSET_SECONDS = -12 * 3600;
    private static final int MAX_OFFSET_SECONDS = 14 * 3600;

    /** {@code days + 1} days ending with {@code end} (default: today in the zone). */
    static DayWindow ending(String end, int days, ZoneId zone, Instant now) {
        LocalDate last;
        if (end == null || end.isBlank()) {
            last = LocalDate.ofInstant(now, zone);
        } else {
            try {
                last = LocalDate.parse(end.strip());
            } catch (DateTimeParseException malformed) {
                throw ApiErrors.badRequest("end must be a date YYYY-MM-DD");
            }
            if (last.isBefore(EARLIEST_END) || last.isAfter(LATEST_END)) {
                throw ApiErrors.badRequest("end must lie between " + EARLIEST_END + " and " + LATEST_END);
            }
        }
        return new DayWindow(zone, last.minusDays(days), last);
    }

    /** {@code tz}: an IANA zone such as Europe/Moscow, or a fixed offset such as +03:30; default UTC. */
    public static ZoneId zone(String tz) {
        if (tz == null || tz.isBlank()) {
            return ZoneOffset.UTC;
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(tz.strip());
        } catch (DateTimeException unknown) {
            throw ApiErrors.badRequest("tz must be an IANA time zone such as Europe/Moscow or Asia/Tehran (or an offset such as +03:30)");
        }
        int offset = zone.getRules().getOffset(Instant.now()).getTotalSeconds();
        if (offset < MIN_OFFSET_SECONDS || offset > MAX_OFFSET_SECONDS) {
            throw ApiErrors.badRequest("tz must be an offset between -12:00 and +14:00 (or an IANA time zone)");
        }
        return zone;
    }

    List<LocalDate> dates() {
        List<LocalDate> dates = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            dates.add(day);
        }
        return dates;
    }

    Instant start(LocalDate day) {
        return day.atStartOfDay(zone).toInstant();
    }

    /** The bounds of every day, in order: lo, qlo, qhi, hi (the query's four arrays). */
    List<OffsetDateTime[]> bounds() {
        List<LocalDate> dates = dates();
        OffsetDateTime[] lo = new OffsetDateTime[dates.size()];
        OffsetDateTime[] qlo = new OffsetDateTime[dates.size()];
        OffsetDateTime[] qhi = new OffsetDateTime[dates.size()];
        OffsetDateTime[] hi = new OffsetDateTime[dates.size()];
        for (int i = 0; i < dates.size(); i++) {
            Instant from = start(dates.get(i));
            Instant to = start(dates.get(i).plusDays(1));
            lo[i] = utc(from);
            qlo[i] = utc(Quarters.atOrAfter(from));
            qhi[i] = utc(Quarters.atOrBefore(to));
            hi[i] = utc(to);
        }
        return List.of(lo, qlo, qhi, hi);
    }

    static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
