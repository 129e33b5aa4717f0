package dev.tgregistry.users;

/**
 * Tests share one database per JVM, so a test class that writes user rows keeps to user ids of its own (booking and
 * registration ids too, where it writes them). The classes listed here own these ranges, which {@code TestUserIdsTest}
 * checks are disjoint; a class not listed names its ids in its own comment. A new test class takes a fresh range here.
 */
public enum TestUserIds {
    SEARCH_QUERY(7_100_000L, 7_199_999L),
    COURSE_STREAM_QUERY(7_200_000L, 7_299_999L),
    LEAD_SCORING_QUERY(7_300_000L, 7_399_999L),
    VALIDATE_QUERY(7_400_000L, 7_499_999L),
    RECENT_EVENTS_QUERY(7_500_000L, 7_599_999L),
    USER_LIST_AND_DETAIL_QUERY(7_600_000L, 7_699_999L),
    COURSE_QUERY(7_700_000L, 7_799_999L),
    SEARCH_RANKING_ORACLE(7_800_000L, 7_899_999L),
    REACHABILITY_CONSUMER(7_930_000L, 7_930_099L),
    REACHABILITY_TRANSITIONS(7_930_100L, 7_930_999L),
    SEND_RESULTS(7_931_000L, 7_931_999L),
    AUDIENCE_FLAGS(7_932_000L, 7_932_999L),
    STATS_QUERY(7_940_000L, 7_949_999L),
    ANALYTICS_QUERY(8_100_000L, 8_199_999L),
    AUDIENCE_QUERY(8_200_000L, 8_299_999L),
    POISON_RECORD(9_100_000L, 9_100_999L),
    NAME_HISTORY(7_120_000_000L, 7_120_099_999L),
    ERASURE(7_120_100_000L, 7_120_199_999L),
    PROFILE_API(7_910_000_001L, 7_910_000_099L),
    BATCH_TRACING(7_941_000_001L, 7_941_000_099L),
    MONITORING_METRICS(7_941_000_100L, 7_941_000_199L),
    ADMIN_EDIT_RACE(9_610_000_000L, 9_610_999_999L),
    DASHBOARD_ROUTES_QUERY(9_620_000_000L, 9_620_999_999L),
    HOSTILE_INPUT(9_630_000_000L, 9_630_999_999L),
    ERASURE_PROPERTY(9_640_000_000L, 9_640_999_999L),
    CURSOR_AUTHENTICATION(9_650_000_000L, 9_650_099_999L),
    CSV_INJECTION(9_650_100_000L, 9_650_199_999L),
    EXACT_PATHS(9_650_200_000L, 9_650_299_999L),
    BAD_INPUT(9_660_000_000L, 9_660_000_999L),
    CORS(9_660_001_000L, 9_660_001_099L),
    DASHBOARD_PROXY(9_660_001_100L, 9_660_001_199L),
    BOT_KIT_PROFILES(9_660_001_200L, 9_660_001_299L),
    SEGMENTS(9_670_000_000L, 9_670_099_999L),
    SEGMENT_COUNTS(9_670_200_000L, 9_670_299_999L),
    EVENT_SUMMARY(9_670_300_000L, 9_670_399_999L),
    TEXT_FOLDING(9_660_001_500L, 9_660_001_599L),
    BOT_KIT_ADMIN_EDITS(9_660_001_300L, 9_660_001_399L),
    OPENAPI_RESPONSE_BODIES(9_660_001_400L, 9_660_001_499L),
    BOOKING_EDIT_CONCURRENCY(9_660_001_600L, 9_660_001_699L);

    private final long from;
    private final long to;

    TestUserIds(long from, long to) {
        this.from = from;
        this.to = to;
    }

    public long from() {
        return from;
    }

    /** Inclusive. */
    public long to() {
        return to;
    }

    public boolean overlaps(TestUserIds other) {
        return from <= other.to && other.from <= to;
    }
}
