package dev.tgregistry.users.segment;

import dev.tgregistry.users.segment.SegmentRules.EventTest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;

/**
 * The count of one {@code did} / {@code did_not} over the event summary (migration V18): the folded events
 * ({@code id <= folded}) as per-type totals or one {@code user_event_summary} row per user and type, plus the events
 * above the watermark read directly, so the answer is exact whichever events the job has folded. {@code folded} is
 * read in the same snapshot as the statement runs in ({@link SegmentUserRepository}).
 */
final class EventSummarySql {
    private final String type;
    private final long foldedUpTo;
    private final Function<Object, String> parameter;
    private String folded;
    private final String atLeast;
    private final String since;

    private EventSummarySql(EventTest test, Instant now, long folded, Function<Object, String> parameter) {
        this.type = parameter.apply(test.type());
        this.foldedUpTo = folded;
        this.parameter = parameter;
        // each parameter only where it is read (PostgreSQL refuses a parameter whose type nothing determines)
        this.atLeast = test.withinDays() == null || test.atLeast() > 1 ? parameter.apply(test.atLeast()) : null;
        this.since = test.withinDays() == null ? null
                : parameter.apply(now.minus(test.withinDays(), ChronoUnit.DAYS).atOffset(ZoneOffset.UTC));
    }

    /**
     * The count of a filter whose only member is this test, without reading users (every summary row and every
     * event's user is a user: the pipeline writes both in one transaction, deleting either deletes the rows), or
     * null when it has no such count ({@code type:N:D} with N > 1). {@code total} is the number of users.
     */
    static String soleCount(EventTest test, boolean negated, Instant now, long folded, String total,
                            Function<Object, String> parameter) {
        if (test.withinDays() != null && test.atLeast() > 1) {
            return null;
        }
        EventSummarySql sql = new EventSummarySql(test, now, folded, parameter);
        String summarized = test.withinDays() == null
                ? "(SELECT COALESCE(sum(t.users), 0) FROM event_type_totals t WHERE t.event_type = " + sql.type
                  + " AND t.events >= " + sql.atLeast + ")"
                : "(SELECT count(*) FROM user_event_summary s WHERE " + sql.summaryRow() + ")";
        String pendingOnly = "(SELECT count(DISTINCT q.user_id) FROM (" + sql.pending() + ") q WHERE EXISTS (SELECT 1 FROM users u"
                + " WHERE u.user_id = q.user_id) AND NOT EXISTS (SELECT 1 FROM user_event_summary s WHERE s.user_id = q.user_id AND "
                + sql.summaryRow() + "))";
        String did = summarized + " + " + pendingOnly;
        return "SELECT " + (negated ? total + " - (" + did + ")" : did);
    }

    /**
     * The test (or its negation) as a condition on user {@code u} joined with other members, over the summary plus
     * the events above the watermark, or null when the summary cannot answer it ({@code type:N:D} with N > 1). A
     * negation is two anti-joins; a positive test is probed per user row (a page walks users in its order and stops
     * after its rows; a count splits one positive test instead: {@link #split}).
     */
    static String condition(EventTest test, boolean negated, Instant now, long folded, Function<Object, String> parameter) {
        if (test.withinDays() != null && test.atLeast() > 1) {
            return null;
        }
        EventSummarySql sql = new EventSummarySql(test, now, folded, parameter);
        String summaryRow = sql.summaryRow();
        String pending = sql.pending();
        String hasRow = "EXISTS (SELECT 1 FROM user_event_summary s WHERE s.user_id = u.user_id AND " + summaryRow + ")";
        if (negated) {
            return "NOT " + hasRow + " AND NOT EXISTS (SELECT 1 FROM (" + pending + ") q WHERE q.user_id = u.user_id)";
        }
        // the events above the watermark are few: a hashed set
        return "(" + hasRow + " OR u.user_id IN (" + pending + "))";
    }

    /**
     * A positive test of a count as two disjoint conditions on user {@code u} (in the summary; only through the events
     * above the watermark), or null as for {@link #condition}: the count adds the counts of both, so that each is a
     * plain semi-join the planner estimates from the summary's statistics (a union of the two is estimated blind).
     */
    static String[] split(EventTest test, Instant now, long folded, Function<Object, String> parameter) {
        if (test.withinDays() != null && test.atLeast() > 1) {
            return null;
        }
        EventSummarySql sql = new EventSummarySql(test, now, folded, parameter);
        String summaryRow = sql.summaryRow();
        return new String[]{
                "u.user_id IN (SELECT s.user_id FROM user_event_summary s WHERE " + summaryRow + ")",
                "u.user_id IN (" + sql.pending() + ") AND NOT EXISTS (SELECT 1 FROM user_event_summary s WHERE s.user_id = u.user_id AND "
                        + summaryRow + ")"};
    }

    /** A summary row {@code s} of the type that alone satisfies the test. */
    private String summaryRow() {
        return "s.event_type = " + type + (since == null ? " AND s.events >= " + atLeast : " AND s.last_at >= " + since);
    }

    /**
     * Users whose events above the watermark complete the test where their summary row does not: one within the
     * window (its summary row's last one may be older), or enough of them added to the folded ones.
     */
    private String pending() {
        if (folded == null) {
            folded = parameter.apply(foldedUpTo);
        }
        String above = "FROM events e WHERE e.id > " + folded + " AND e.event_type = " + type;
        if (since != null) {
            return "SELECT e.user_id " + above + " AND e.created_at >= " + since;
        }
        return "SELECT p.user_id FROM (SELECT e.user_id, count(*) AS n " + above + " GROUP BY e.user_id) p"
                + " LEFT JOIN user_event_summary f ON f.user_id = p.user_id AND f.event_type = " + type
                + " WHERE COALESCE(f.events, 0) < " + atLeast + " AND COALESCE(f.events, 0) + p.n >= " + atLeast;
    }
}
