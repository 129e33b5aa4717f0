package dev.tgregistry.users.analytics;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The dashboard's names for courses and streams, and the natural order of streams (3rd, 4th, ..., 10th, then others). */
final class CourseLabels {
    private static final Pattern NUMBERED_STREAM = Pattern.compile("(\\d+)(st|nd|rd|th)_stream");

    /** Streams by number, then unnumbered ones by name, then bookings without a stream. */
    static final Comparator<String> STREAM_ORDER = Comparator.nullsLast(
            Comparator.comparing(CourseLabels::streamNumber, Comparator.nullsLast(Comparator.naturalOrder()))
                    .thenComparing(Comparator.naturalOrder()));

    private CourseLabels() {
    }

    static String courseName(Integer courseId) {
        if (courseId == null) {
            return "Без курса";
        }
        return courseId == 1 ? "Вайб кодинг" : "Course " + courseId;
    }

    static String streamName(String stream) {
        if (stream == null) {
            return "Без потока";
        }
        if (stream.equals("mentoring")) {
            return "Менторинг";
        }
        Matcher numbered = NUMBERED_STREAM.matcher(stream);
        return numbered.matches() ? Integer.parseInt(numbered.group(1)) + "-й поток" : stream;
    }

    private static Long streamNumber(String stream) {
        Matcher numbered = NUMBERED_STREAM.matcher(stream);
        return numbered.matches() && numbered.group(1).length() < 18 ? Long.parseLong(numbered.group(1)) : null;
    }
}
