package dev.tgregistry.users.analytics;

import dev.tgregistry.users.analytics.AnalyticsRepository.BookingStatusCount;
import dev.tgregistry.users.booking.BookingStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/** The dashboard's analytics: daily stats, user growth, top events, courses and streams by status, lesson conversion. */
@ApplicationScoped
public class AnalyticsService {
    private static final Comparator<Integer> COURSE_ORDER = Comparator.nullsLast(Comparator.naturalOrder());

    private final AnalyticsRepository repository;

    public AnalyticsService(AnalyticsRepository repository) {
        this.repository = repository;
    }

    /** {@code days + 1} days ending with {@code end} (default today) in {@code zone}, newest first. */
    public Uni<List<DailyStat>> daily(int days, ZoneId zone, String end) {
        DayWindow window = DayWindow.ending(end, days, zone, Instant.now());
        return repository.daily(window).map(counts -> {
            List<LocalDate> dates = window.dates();
            List<DailyStat> stats = new ArrayList<>(dates.size());
            for (int i = dates.size() - 1; i >= 0; i--) {
                long[] c = counts.get(i);
                stats.add(new DailyStat(dates.get(i).toString(), c[0], c[1], c[2]));
            }
            return stats;
        });
    }

    /** {@code days + 1} days ending with {@code end} (default today) in {@code zone}, oldest first. */
    public Uni<List<GrowthPoint>> growth(int days, ZoneId zone, String end) {
        DayWindow window = DayWindow.ending(end, days, zone, Instant.now());
        return repository.growth(window).map(counts -> {
            List<LocalDate> dates = window.dates();
            List<GrowthPoint> points = new ArrayList<>(dates.size());
            long total = counts.get(0);
            for (int i = 0; i < dates.size(); i++) {
                long fresh = counts.get(i + 1);
                total += fresh;
                points.add(new GrowthPoint(dates.get(i).toString(), total, fresh));
            }
            return points;
        });
    }

    public Uni<List<TopEvent>> topEvents() {
        return repository.topEvents();
    }

    /** Every course with bookings, by course id (bookings without a course last). */
    public Uni<List<CourseStats>> courses() {
        return repository.bookingStatuses().map(counts -> {
            Map<Integer, List<BookingStatusCount>> byCourse = group(counts, BookingStatusCount::courseId, COURSE_ORDER);
            List<CourseStats> courses = new ArrayList<>();
            byCourse.forEach((courseId, rows) -> {
                long[] s = byStatus(rows);
                courses.add(new CourseStats(courseId, CourseLabels.courseName(courseId), s[0], s[1], s[2], s[3], s[4]));
            });
            return courses;
        });
    }

    /** Every stream of every course with bookings (NULL stream included), by course id then natural stream order. */
    public Uni<List<CourseStreamStats>> courseStreams() {
        return repository.bookingStatuses().map(counts -> {
            List<CourseStreamStats> streams = new ArrayList<>();
            group(counts, BookingStatusCount::courseId, COURSE_ORDER).forEach((courseId, ofCourse) ->
                    group(ofCourse, BookingStatusCount::courseStream, CourseLabels.STREAM_ORDER).forEach((stream, rows) -> {
                        long[] s = byStatus(rows);
                        streams.add(new CourseStreamStats(courseId, CourseLabels.courseName(courseId), CourseLabels.streamName(stream),
                                stream, s[0], s[1], s[2], s[3], s[4]));
                    }));
            return streams;
        });
    }

    public Uni<List<LessonConversion>> lessonConversion() {
        return repository.lessonConversion();
    }

    private static <K> Map<K, List<BookingStatusCount>> group(List<BookingStatusCount> counts, Function<BookingStatusCount, K> key,
                                                             Comparator<K> order) {
        Map<K, List<BookingStatusCount>> groups = new TreeMap<>(order);
        counts.forEach(count -> groups.computeIfAbsent(key.apply(count), k -> new ArrayList<>()).add(count));
        groups.values().removeIf(rows -> rows.stream().mapToLong(BookingStatusCount::bookings).sum() == 0);
        return groups;
    }

    /** total, confirmed (2), pending (1), cancelled (-1), created (0). */
    private static long[] byStatus(List<BookingStatusCount> rows) {
        long[] s = new long[5];
        for (BookingStatusCount row : rows) {
            s[0] += row.bookings();
            Integer status = row.confirmed();
            if (Objects.equals(status, BookingStatus.CONFIRMED)) {
                s[1] += row.bookings();
            } else if (Objects.equals(status, BookingStatus.PENDING)) {
                s[2] += row.bookings();
            } else if (Objects.equals(status, BookingStatus.CANCELLED)) {
                s[3] += row.bookings();
            } else if (Objects.equals(status, BookingStatus.CREATED)) {
                s[4] += row.bookings();
            }
        }
        return s;
    }
}
