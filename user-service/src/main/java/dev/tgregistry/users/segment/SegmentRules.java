package dev.tgregistry.users.segment;

import dev.tgregistry.users.booking.BookingStatus;
import dev.tgregistry.users.web.ApiErrors;
import dev.tgregistry.users.web.ApiTimes;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * What a {@link SegmentFilter} may say, checked member by member: a refusal is a 400 naming the member (with the
 * item's index for a list). {@link #check} also returns the filter in its one stored spelling (text stripped,
 * blank values dropped), so two spellings of the same filter are saved alike.
 */
final class SegmentRules {
    static final int MAX_VALUES = 100;
    static final int MAX_TEXT = 200;
    static final int MAX_SEARCH = 64;
    static final int MAX_EVENT_TYPE = 50;
    static final int MAX_TIMES = 1_000_000;
    static final int MAX_DAYS = 3650;
    private static final Duration LONGEST_WINDOW = Duration.ofDays(MAX_DAYS);
    private static final Pattern EVENT = Pattern.compile("([^:]+)(?::(\\d{1,7}))?(?::(\\d{1,4}))?");

    /** {@code attribute}: {@code path} set, {@code !path} unset, {@code path=value} equal as text. */
    record AttributeTest(String[] path, boolean negated, String equals) {
        static AttributeTest parse(String field, String text) {
            boolean negated = text.startsWith("!");
            int eq = text.indexOf('=');
            String pathText = negated ? text.substring(1) : eq < 0 ? text : text.substring(0, eq);
            String[] path = pathText.split("\\.", -1);
            if (pathText.isEmpty() || path.length > 8 || Arrays.stream(path).anyMatch(String::isEmpty)
                    || (negated && eq >= 0)) {
                throw ApiErrors.badRequest(field + " must be path, !path or path=value, a path being 1 to 8 keys joined by dots");
            }
            return new AttributeTest(path, negated, negated || eq < 0 ? null : text.substring(eq + 1));
        }
    }

    /** {@code did}/{@code did_not}: {@code type}, {@code type:N} or {@code type:N:D}. */
    record EventTest(String type, int atLeast, Integer withinDays) {
        static EventTest parse(String field, String text) {
            var match = EVENT.matcher(text);
            if (!match.matches() || match.group(1).length() > MAX_EVENT_TYPE) {
                throw ApiErrors.badRequest(field + " must be type, type:N or type:N:D (an event type of at most "
                        + MAX_EVENT_TYPE + " characters, N times, within D days)");
            }
            int atLeast = match.group(2) == null ? 1 : Integer.parseInt(match.group(2));
            Integer days = match.group(3) == null ? null : Integer.valueOf(match.group(3));
            if (atLeast < 1 || atLeast > MAX_TIMES) {
                throw ApiErrors.badRequest(field + ": N must be between 1 and " + MAX_TIMES);
            }
            if (days != null && (days < 1 || days > MAX_DAYS)) {
                throw ApiErrors.badRequest(field + ": D must be between 1 and " + MAX_DAYS + " days");
            }
            return new EventTest(match.group(1), atLeast, days);
        }
    }

    private SegmentRules() {
    }

    /** The filter in its stored spelling; a 400 naming the first member that breaks a rule. */
    static SegmentFilter check(SegmentFilter filter) {
        SegmentFilter f = filter == null ? SegmentFilter.EVERYONE : filter;
        List<Integer> statuses = list("booking_status", f.bookingStatus(), (field, status) -> {
            if (status == null || status < BookingStatus.CANCELLED || status > BookingStatus.CONFIRMED) {
                throw ApiErrors.badRequest(field + " must be between -1 and 2");
            }
            return status;
        });
        List<Integer> years = list("grade_year", f.gradeYear(), (field, year) -> {
            if (year == null || year < 0 || year > 9999) {
                throw ApiErrors.badRequest(field + " must be between 0 and 9999");
            }
            return year;
        });
        SegmentFilter checked = new SegmentFilter(f.active(), f.reachableByDm(), f.isPremium(),
                texts("language", f.language(), 35),
                time("first_seen_from", f.firstSeenFrom()), time("first_seen_to", f.firstSeenTo()),
                window("first_seen_within", f.firstSeenWithin()),
                time("last_seen_from", f.lastSeenFrom()), time("last_seen_to", f.lastSeenTo()),
                window("last_seen_within", f.lastSeenWithin()),
                f.onboardingCompleted(), texts("study_track", f.studyTrack(), MAX_TEXT),
                texts("grade_band", f.gradeBand(), MAX_TEXT), years,
                texts("has", f.has(), MAX_TEXT), texts("lacks", f.lacks(), MAX_TEXT),
                texts("attribute", f.attribute(), MAX_TEXT),
                text("stream", f.stream(), 50), statuses, f.booked(),
                texts("did", f.did(), MAX_TEXT), texts("did_not", f.didNot(), MAX_TEXT),
                text("search", f.search(), MAX_SEARCH));
        each("has", checked.has(), ProfileField::parse);
        each("lacks", checked.lacks(), ProfileField::parse);
        each("attribute", checked.attribute(), AttributeTest::parse);
        each("did", checked.did(), EventTest::parse);
        each("did_not", checked.didNot(), EventTest::parse);
        return checked;
    }

    static Duration duration(String text) {
        return text == null ? null : Duration.parse(text);
    }

    private static String window(String field, String value) {
        String text = text(field, value, 40);
        if (text == null) {
            return null;
        }
        Duration window;
        try {
            window = Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException notADuration) {
            throw ApiErrors.badRequest(field + " must be an ISO-8601 duration such as PT24H or P7D");
        }
        if (window.isNegative() || window.isZero() || window.compareTo(LONGEST_WINDOW) > 0) {
            throw ApiErrors.badRequest(field + " must be longer than zero and at most " + MAX_DAYS + " days");
        }
        return window.toString();
    }

    private static String time(String field, String value) {
        String text = text(field, value, 40);
        return text == null ? null : ApiTimes.parse(field, text).toString();
    }

    private static List<String> texts(String field, List<String> values, int maxLength) {
        List<String> checked = list(field, values, (item, value) -> text(item, value, maxLength));
        return checked == null ? null : checked.stream().filter(v -> v != null).toList();
    }

    private static <T> List<T> list(String field, List<T> values, BiFunction<String, T, T> rule) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > MAX_VALUES) {
            throw ApiErrors.badRequest(field + " takes at most " + MAX_VALUES + " values");
        }
        List<T> checked = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            checked.add(rule.apply(values.size() == 1 ? field : field + "[" + i + "]", values.get(i)));
        }
        return checked;
    }

    private static <T> void each(String field, List<String> values, BiFunction<String, String, T> parser) {
        if (values != null) {
            for (int i = 0; i < values.size(); i++) {
                parser.apply(values.size() == 1 ? field : field + "[" + i + "]", values.get(i));
            }
        }
    }

    /** Stripped text, null when blank; a 400 when too long or holding a control character or a lone surrogate. */
    static String text(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        boolean unstorable = text.codePoints().anyMatch(c -> c < 0x20 || c == 0x7F || (c >= 0xD800 && c <= 0xDFFF));
        if (text.length() > maxLength || unstorable) {
            throw ApiErrors.badRequest(field + " must be at most " + maxLength + " characters, without control characters");
        }
        return text;
    }
}
