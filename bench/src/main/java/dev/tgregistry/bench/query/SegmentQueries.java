package dev.tgregistry.bench.query;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The segment filters the query benchmark measures (issue 23): every single filter of GET /api/users/count with a
 * value the generated data holds (languages from {@link Names}, event types from {@link EventsWriter}, streams and
 * statuses from {@link BookingsWriter}, profile values from {@link ProfilesWriter}), combinations of three, a
 * 1,000-row page in each sort, and the CSV of a large segment.
 */
final class SegmentQueries {

    enum Kind {
        SINGLE("count, single filter", 50), THREE("count, three filters", 150), PAGE("1,000-row page", 100);

        final String label;
        final double targetP99Ms;

        Kind(String label, double targetP99Ms) {
            this.label = label;
            this.targetP99Ms = targetP99Ms;
        }
    }

    /** One measured row: what it is, the request's path and query, and the metrics uri it is counted under. */
    record Query(Kind kind, String name, String pathAndQuery, String metricsUri) {
    }

    /** Large segment streamed as CSV: active users (~94%). */
    static final String CSV_PATH = "/api/users?format=csv&active=true";

    private SegmentQueries() {
    }

    static List<Query> all(Instant now) {
        String monthAgo = now.minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS).toString();
        String twentyDaysAgo = now.minus(Duration.ofDays(20)).truncatedTo(ChronoUnit.SECONDS).toString();
        List<Query> q = new ArrayList<>();
        String[][] singles = {
                {"active=false", "active=false"},
                {"reachable_by_dm=true", "reachable_by_dm=true"},
                {"is_premium=true", "is_premium=true"},
                {"language=fa", "language=fa"},
                {"language=ru,uk", "language=ru&language=uk"},
                {"first_seen_within=P7D", "first_seen_within=P7D"},
                {"first_seen from/to (10 days)", "first_seen_from=" + monthAgo + "&first_seen_to=" + twentyDaysAgo},
                {"last_seen_within=P1D", "last_seen_within=P1D"},
                {"last_seen_to (30 days ago)", "last_seen_to=" + monthAgo},
                {"onboarding_completed=true", "onboarding_completed=true"},
                {"onboarding_completed=false", "onboarding_completed=false"},
                {"study_track=python", "study_track=python"},
                {"grade_band=university", "grade_band=university"},
                {"grade_year=2027", "grade_year=2027"},
                {"has=phone", "has=phone"},
                {"lacks=study_track", "lacks=study_track"},
                {"attribute=utm.source=ads", "attribute=utm.source%3Dads"},
                {"attribute=plan (set)", "attribute=plan"},
                {"attribute=!plan (unset)", "attribute=%21plan"},
                {"stream=8th_stream", "stream=8th_stream"},
                {"booking_status=2", "booking_status=2"},
                {"booked=true", "booked=true"},
                {"booked=false", "booked=false"},
                {"did=view_price", "did=view_price"},
                {"did=free_lesson_signup:1:7", "did=free_lesson_signup:1:7"},
                {"did=payment_approved:1:30", "did=payment_approved:1:30"},
                {"did=view_price:3 (at least 3 times)", "did=view_price:3"},
                {"did_not=start_command", "did_not=start_command"},
                {"search=ale", "search=ale"},
        };
        for (String[] s : singles) {
            q.add(new Query(Kind.SINGLE, s[0], "/api/users/count?" + s[1], "/api/users/count"));
        }
        String[][] threes = {
                {"language=ru + last_seen_within=P7D + did=view_price:1:30", "language=ru&last_seen_within=P7D&did=view_price:1:30"},
                {"active=true + study_track=python + did_not=payment_approved", "active=true&study_track=python&did_not=payment_approved"},
                {"is_premium=false + booked=true + first_seen_within=P30D", "is_premium=false&booked=true&first_seen_within=P30D"},
                {"onboarding_completed=true + language=fa + reachable_by_dm=true", "onboarding_completed=true&language=fa&reachable_by_dm=true"},
                {"attribute=utm.source=ads + grade_year=2027 + last_seen_within=P30D",
                        "attribute=utm.source%3Dads&grade_year=2027&last_seen_within=P30D"},
                {"did=free_lesson_signup + did_not=payment_approved + active=true",
                        "did=free_lesson_signup&did_not=payment_approved&active=true"},
        };
        for (String[] s : threes) {
            q.add(new Query(Kind.THREE, s[0], "/api/users/count?" + s[1], "/api/users/count"));
        }
        for (String sort : new String[]{"last_seen", "first_seen", "id"}) {
            q.add(new Query(Kind.PAGE, "sort=" + sort + ", no filter", "/api/users?limit=1000&sort=" + sort, "/api/users"));
            q.add(new Query(Kind.PAGE, "sort=" + sort + ", language=ru + active=true",
                    "/api/users?limit=1000&sort=" + sort + "&language=ru&active=true", "/api/users"));
            q.add(new Query(Kind.PAGE, "sort=" + sort + ", did=view_price:1:30",
                    "/api/users?limit=1000&sort=" + sort + "&did=view_price:1:30", "/api/users"));
        }
        return q;
    }
}
