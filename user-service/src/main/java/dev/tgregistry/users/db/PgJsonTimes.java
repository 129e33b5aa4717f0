package dev.tgregistry.users.db;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;

/**
 * Timestamps and dates as PostgreSQL writes them into JSON ({@code json_agg}, {@code to_json}): ISO 8601,
 * {@code 2026-02-01T10:15:30.123456+03:30}, or {@code infinity} / {@code -infinity}. The common shape is read
 * digit by digit: a detail carries ~50 of them, and {@code DateTimeFormatter} spent more on them than the rest of
 * the mapping (and is a large method for a C2-only JIT to compile). Any other shape (a year beyond 9999, BC) goes
 * to {@link OffsetDateTime#parse}.
 */
public final class PgJsonTimes {
    private PgJsonTimes() {
    }

    public static Instant instant(String json) {
        if (json == null) {
            return null;
        }
        return switch (json) {
            case "infinity" -> OffsetDateTime.MAX.toInstant();
            case "-infinity" -> OffsetDateTime.MIN.toInstant();
            default -> {
                Instant read = readInstant(json);
                yield read != null ? read : OffsetDateTime.parse(json).toInstant();
            }
        };
    }

    public static LocalDate date(String json) {
        if (json == null) {
            return null;
        }
        return switch (json) {
            case "infinity" -> LocalDate.MAX;
            case "-infinity" -> LocalDate.MIN;
            default -> json.length() == 10 && isDate(json) ? localDate(json) : LocalDate.parse(json);
        };
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,6}](+|-)HH[:mm[:ss]]}, or null when {@code s} has another shape. */
    private static Instant readInstant(String s) {
        int n = s.length();
        if (n < 22 || !isDate(s) || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (hour < 0 || minute < 0 || second < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int i = 19;
        long nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                nanos = nanos * 10 + (s.charAt(i++) - '0');
            }
            if (i == start) {
                return null;
            }
            for (int scale = i - start; scale < 9; scale++) {
                nanos *= 10;
            }
        }
        int offset = offsetSeconds(s, i);
        if (offset == Integer.MIN_VALUE) {
            return null;
        }
        long epochSecond = localDate(s).toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second - offset;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /** {@code (+|-)HH[:mm[:ss]]} from {@code i} to the end, in seconds; MIN_VALUE when it is not that. */
    private static int offsetSeconds(String s, int i) {
        int rest = s.length() - i;
        if (rest != 3 && rest != 6 && rest != 9) {
            return Integer.MIN_VALUE;
        }
        char sign = s.charAt(i);
        if (sign != '+' && sign != '-') {
            return Integer.MIN_VALUE;
        }
        int seconds = 0;
        for (int part = 0, at = i + 1; at < s.length(); part++, at += 3) {
            if (part > 0 && s.charAt(at - 1) != ':') {
                return Integer.MIN_VALUE;
            }
            int value = digits(s, at, 2);
            if (value < 0 || (part > 0 && value > 59)) {
                return Integer.MIN_VALUE;
            }
            seconds += value * (part == 0 ? 3_600 : part == 1 ? 60 : 1);
        }
        return sign == '+' ? seconds : -seconds;
    }

    /** The first ten characters are a valid {@code yyyy-MM-dd} (year 0000 to 9999). */
    private static boolean isDate(String s) {
        if (s.charAt(4) != '-' || s.charAt(7) != '-') {
            return false;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= Month.of(month).length(Year.isLeap(year));
    }

    /** The first ten characters, already checked by {@link #isDate}. */
    private static LocalDate localDate(String s) {
        return LocalDate.of(digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2));
    }

    /** The number written by {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
