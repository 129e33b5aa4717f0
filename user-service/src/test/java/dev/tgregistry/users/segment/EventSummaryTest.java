package dev.tgregistry.users.segment;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.users.TestUserIds;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.event;
import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.db;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static dev.tgregistry.users.segment.SummaryFolds.foldEverything;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * did / did_not read the event summary (migration V18) plus the events above its watermark: every form of the test
 * (type, type:N, type:1:D, type:N:D, and their negations), counted alone (the summary's totals) and listed with
 * another member, against the events counted by hand, before the job folded the events, after it did, with new
 * events on top of a fold, after events were deleted and after an erasure; and the watermark never passes an event
 * whose transaction is still open. The event types are this class's own, so counts over the whole registry are
 * counts of its users.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class EventSummaryTest {
    static final long FROM = TestUserIds.EVENT_SUMMARY.from();
    static final String CLICK = "summary_test_click";
    static final String PAID = "summary_test_paid";
    static final List<String> TESTS = List.of(CLICK, CLICK + ":2", CLICK + ":3", CLICK + ":1:30", CLICK + ":2:30", PAID,
            PAID + ":1:7");

    @Inject
    EventSummaryJob job;

    @BeforeEach
    void seed() {
        cleanRange(FROM, TestUserIds.EVENT_SUMMARY.to());
        // the erasure test's tombstone would drop the next seed of that user
        sql("DELETE FROM erased_users WHERE user_id BETWEEN " + FROM + " AND " + TestUserIds.EVENT_SUMMARY.to());
        for (int i = 1; i <= 6; i++) {
            sql(user(FROM + i));
        }
        sql(event(FROM + 1, CLICK, null, "now() - interval '1 day'"),
                event(FROM + 1, CLICK, null, "now() - interval '2 days'"),
                event(FROM + 1, CLICK, null, "now() - interval '40 days'"),
                event(FROM + 1, PAID, null, "now() - interval '2 days'"),
                event(FROM + 2, CLICK, null, "now() - interval '400 days'"),
                event(FROM + 2, CLICK, null, "now() - interval '5 days'"),
                event(FROM + 3, CLICK, null, "now() - interval '60 days'"),
                event(FROM + 4, PAID, null, "now() - interval '20 days'"));
    }

    static String user(long id) {
        return "INSERT INTO users (user_id, username, first_seen_at, last_seen_at) VALUES (" + id + ", 'evsum" + id
                + "', '1992-05-01T00:00:00Z', '1992-05-01T00:00:00Z')";
    }

    @Test
    void answersAreExactBeforeTheFoldAfterItAndWithNewEventsOnTop() throws Exception {
        assertAllAgree("before any fold");
        foldEverything(job);
        assertEquals(5L, summaryRows(), "one summary row per user and type");
        assertAllAgree("after the fold");

        sql(event(FROM + 2, CLICK, null, "now() - interval '3 days'"),
                event(FROM + 3, CLICK, null, "now() - interval '1 day'"),
                event(FROM + 5, CLICK, null, "now() - interval '1 day'"),
                event(FROM + 5, PAID, null, "now() - interval '1 day'"));
        assertAllAgree("new events above the watermark");
        foldEverything(job);
        assertEquals(7L, summaryRows());
        assertAllAgree("after the second fold");
    }

    @Test
    void deletedEventsAndErasedUsersLeaveTheSummary() throws Exception {
        foldEverything(job);
        sql("DELETE FROM events WHERE user_id = " + (FROM + 1) + " AND created_at < now() - interval '30 days'",
                "DELETE FROM events WHERE user_id = " + (FROM + 4));
        assertEquals(2L, scalar("SELECT events FROM user_event_summary WHERE user_id = " + (FROM + 1) + " AND event_type = '" + CLICK + "'"));
        assertEquals(0L, scalar("SELECT count(*) FROM user_event_summary WHERE user_id = " + (FROM + 4)));
        assertAllAgree("after deletes");

        api().delete("/api/users/" + (FROM + 1)).then().statusCode(200);
        assertEquals(0L, scalar("SELECT count(*) FROM user_event_summary WHERE user_id = " + (FROM + 1)));
        foldEverything(job);
        assertEquals(0L, scalar("SELECT count(*) FROM user_event_summary WHERE user_id = " + (FROM + 1)), "an erased person never comes back");
        assertAllAgree("after an erasure");
    }

    @Test
    void theWatermarkWaitsForAnOpenTransactionWithALowerId() throws Exception {
        foldEverything(job);
        try (Connection open = db(); Statement statement = open.createStatement()) {
            open.setAutoCommit(false);
            long openId;
            try (ResultSet inserted = statement.executeQuery(event(FROM + 6, CLICK, null, "now() - interval '1 day'") + " RETURNING id")) {
                inserted.next();
                openId = inserted.getLong(1);
            }
            // another type on another day: the analytics rollups (V10) would make it wait for the open transaction
            sql(event(FROM + 5, PAID, null, "now() - interval '3 days'"));
            for (int i = 0; i < 5; i++) {
                job.foldAll().await().indefinitely();
            }
            assertTrue(SummaryFolds.folded() < openId, "folded up to " + SummaryFolds.folded() + " while id " + openId + " is uncommitted");
            open.commit();
        }
        foldEverything(job);
        assertEquals(1L, scalar("SELECT events FROM user_event_summary WHERE user_id = " + (FROM + 6) + " AND event_type = '" + CLICK + "'"));
        assertEquals(1L, scalar("SELECT events FROM user_event_summary WHERE user_id = " + (FROM + 5) + " AND event_type = '" + PAID + "'"));
        assertAllAgree("after the late commit");
    }

    /** Each test counted alone (whole registry) and listed with this class's first-seen window, as counted by hand. */
    private void assertAllAgree(String when) {
        for (String test : TESTS) {
            for (String member : List.of("did", "did_not")) {
                String where = byHand(test, member.equals("did_not"));
                long count = api().queryParam(member, test).get("/api/users/count").then().statusCode(200)
                        .extract().jsonPath().getLong("count");
                assertEquals(((Number) scalar("SELECT count(*) FROM users u WHERE " + where)).longValue(), count,
                        when + ": count of " + member + "=" + test);
                List<String> listed = api().queryParam(member, test).queryParam("first_seen_from", "1992-01-01T00:00:00Z")
                        .queryParam("first_seen_to", "1993-01-01T00:00:00Z").queryParam("limit", 100).get("/api/users")
                        .then().statusCode(200).extract().jsonPath().getList("users.user_id", String.class);
                Set<Long> expected = new TreeSet<>();
                for (long id = FROM + 1; id <= FROM + 6; id++) {
                    if (((Number) scalar("SELECT count(*) FROM users u WHERE u.user_id = " + id + " AND " + where)).longValue() == 1) {
                        expected.add(id);
                    }
                }
                Set<Long> got = new TreeSet<>();
                listed.forEach(id -> got.add(Long.parseLong(id)));
                assertEquals(expected, got, when + ": users of " + member + "=" + test);
            }
        }
    }

    /** The test's meaning, over the events themselves. */
    private static String byHand(String test, boolean negated) {
        String[] parts = test.split(":");
        int atLeast = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
        String window = parts.length > 2 ? " AND e.created_at >= now() - interval '" + parts[2] + " days'" : "";
        return (negated ? "NOT " : "") + "(SELECT count(*) FROM events e WHERE e.user_id = u.user_id AND e.event_type = '"
                + parts[0] + "'" + window + ") >= " + atLeast;
    }

    private static long summaryRows() {
        return ((Number) scalar("SELECT count(*) FROM user_event_summary WHERE user_id BETWEEN " + FROM + " AND "
                + TestUserIds.EVENT_SUMMARY.to())).longValue();
    }
}
