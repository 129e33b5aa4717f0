package dev.tgregistry.users.segment;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.RegistryRecord;
import dev.tgregistry.users.TestUserIds;
import dev.tgregistry.users.consumer.EventWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.event;
import static dev.tgregistry.users.QueryFixtures.user;
import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.db;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The per-user, per-event-type counts behind the segment filters did / did_not (migration V17): kept equal to a
 * count of the events under redelivery, erasure, deletes and updates; rebuilt exactly by the backfill; and the counts
 * the segment API reads from them alone (one did or did_not member) equal to the users they select.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class EventCountsTest {
    static final long FROM = TestUserIds.EVENT_COUNTS.from();
    static final long TO = TestUserIds.EVENT_COUNTS.to();
    static final String RANGE = " WHERE user_id BETWEEN " + FROM + " AND " + TO;
    static final Instant T1 = Instant.parse("2026-02-01T10:00:00Z");
    static final Instant T2 = Instant.parse("2026-02-02T10:00:00Z");
    static final Instant T3 = Instant.parse("2026-02-03T10:00:00Z");

    @Inject
    EventWriter events;

    @BeforeEach
    void clean() {
        cleanRange(FROM, TO);
        sql("DELETE FROM erased_users" + RANGE, "DELETE FROM user_event_counts" + RANGE);
    }

    private static BotEvent botEvent(String id, long userId, String type, Instant at) {
        return new BotEvent(RegistryRecord.SCHEMA_VERSION, id, userId, type, null, at, null);
    }

    private void write(BotEvent... batch) {
        events.apply(List.of(batch)).await().indefinitely();
    }

    /** "user type events first last" per counter row of the range, in key order. */
    private static List<String> counters() {
        return rows("SELECT user_id || ' ' || event_type || ' ' || events || ' ' || COALESCE(first_at::text, '-') || ' '"
                + " || COALESCE(last_at::text, '-') FROM user_event_counts" + RANGE + " ORDER BY user_id, event_type");
    }

    /** The same, counted from the events themselves. */
    private static List<String> countedFromEvents() {
        return rows("SELECT user_id || ' ' || event_type || ' ' || count(*) || ' ' || COALESCE(min(created_at)::text, '-') || ' '"
                + " || COALESCE(max(created_at)::text, '-') FROM events" + RANGE + " AND event_type IS NOT NULL"
                + " GROUP BY user_id, event_type ORDER BY user_id, event_type");
    }

    /** A statement outside a transaction block (the backfill commits after each chunk), as Flyway runs it. */
    private static void call(String statement) {
        try (Connection connection = db(); Statement call = connection.createStatement()) {
            call.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> rows(String query) {
        List<String> out = new ArrayList<>();
        try (Connection connection = db(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(query)) {
            while (result.next()) {
                out.add(result.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Test
    void aRedeliveredEventIsCountedOnce() {
        long a = FROM + 1;
        long b = FROM + 2;
        BotEvent first = botEvent("evc-1", a, "view_price", T1);
        BotEvent second = botEvent("evc-2", a, "view_price", T2);
        BotEvent other = botEvent("evc-3", b, "start_command", T1);
        write(first, second, other);
        write(first, second, other);  // the whole batch again (a redelivery after a crash before the commit of offsets)
        write(second, botEvent("evc-4", a, "view_price", T3), second);  // one new, one twice in its own batch

        assertEquals(2, counters().size());
        assertEquals(countedFromEvents(), counters());
        assertEquals(3L, scalar("SELECT events FROM user_event_counts WHERE user_id = " + a + " AND event_type = 'view_price'"));
        assertEquals(1L, scalar("SELECT events FROM user_event_counts WHERE user_id = " + b + " AND event_type = 'start_command'"));
        assertEquals(T1, ((java.sql.Timestamp) scalar("SELECT first_at FROM user_event_counts WHERE user_id = " + a)).toInstant());
        assertEquals(T3, ((java.sql.Timestamp) scalar("SELECT last_at FROM user_event_counts WHERE user_id = " + a)).toInstant());
    }

    @Test
    void anErasureTakesTheCountsAndAReplayDoesNotBringThemBack() {
        long a = FROM + 11;
        BotEvent old = botEvent("evc-old", a, "view_price", T1);
        write(old, botEvent("evc-old-2", a, "start_command", T2));
        assertEquals(2, counters().size());

        api().delete("/api/users/" + a).then().statusCode(200);
        assertEquals(List.of(), counters(), "the erased person's counts are gone");

        write(old);  // a redelivery of a record dated before the erasure: the guard drops it, nothing is counted
        assertEquals(List.of(), counters());
        Instant back = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        write(botEvent("evc-new", a, "view_price", back));
        assertEquals(countedFromEvents(), counters());
        assertEquals(1L, scalar("SELECT events FROM user_event_counts" + RANGE + " AND event_type = 'view_price'"));
    }

    @Test
    void deletesAndUpdatesOfEventsCountAgain() {
        long a = FROM + 21;
        long b = FROM + 22;
        sql(event(a, "faq_opened", null, "'2026-01-01T00:00:00Z'"),
                event(a, "faq_opened", null, "'2026-01-05T00:00:00Z'"),
                event(a, "faq_opened", null, "NULL"),
                event(b, "faq_opened", null, "'2026-01-03T00:00:00Z'"));
        assertEquals(countedFromEvents(), counters());

        sql("DELETE FROM events WHERE user_id = " + a + " AND created_at = '2026-01-05T00:00:00Z'");
        assertEquals(countedFromEvents(), counters(), "the last time moves back when the newest event goes");
        sql("UPDATE events SET event_type = 'contact_admin' WHERE user_id = " + a + " AND created_at IS NULL");
        sql("UPDATE events SET user_id = " + a + ", created_at = '2026-01-09T00:00:00Z' WHERE user_id = " + b);
        assertEquals(countedFromEvents(), counters());
        assertEquals(1, rows("SELECT 1 FROM user_event_counts" + RANGE + " AND event_type = 'contact_admin'").size());
        assertEquals(List.of(), rows("SELECT 1 FROM user_event_counts WHERE user_id = " + b), "b has no events left");
    }

    @Test
    void theBackfillCountsEveryEventExactlyAndCanRunAgain() {
        long a = FROM + 31;
        long b = FROM + 32;
        long c = FROM + 33;
        sql(event(a, "view_program", null, "'2026-01-01T00:00:00Z'"),
                event(a, "view_program", null, "'2026-01-02T00:00:00Z'"),
                event(b, "view_price", null, "'2026-01-03T00:00:00Z'"),
                event(c, "view_price", null, "NULL"));
        List<String> truth = countedFromEvents();
        // counts as a registry has them before the backfill (none), or wrong (a lost row, a wrong number, a stale pair)
        sql("DELETE FROM user_event_counts WHERE user_id = " + a,
                "UPDATE user_event_counts SET events = 99, last_at = now() WHERE user_id = " + b,
                "INSERT INTO user_event_counts (user_id, event_type, events) VALUES (" + c + ", 'never_happened', 5)");

        call("CALL registry.backfill_event_counts(2)");
        assertEquals(truth, counters());
        call("CALL registry.backfill_event_counts()");
        assertEquals(truth, counters(), "a second run changes nothing");
    }

    @Test
    void countsReadFromTheCountersAloneAgreeWithTheUsersTheyCount() {
        String type = "evc_" + UUID.randomUUID().toString().substring(0, 8);
        long a = FROM + 41;
        long b = FROM + 42;
        long c = FROM + 43;
        sql(user(a, "evc_a", null, null, "now()"), user(b, "evc_b", null, null, "now()"), user(c, "evc_c", null, null, "now()"),
                event(a, type, null, "now() - interval '1 day'"),
                event(a, type, null, "now() - interval '2 days'"),
                event(a, type, null, "now() - interval '40 days'"),
                event(b, type, null, "now() - interval '3 days'"),
                event(b, type, null, "now() - interval '50 days'"),
                event(b, type, null, "now() - interval '60 days'"),
                event(c, type, null, "now() - interval '45 days'"));

        assertCount("did", type, 3, a, b, c);
        assertCount("did", type + ":3", 2, a, b);
        assertCount("did", type + ":1:30", 2, a, b);
        assertCount("did", type + ":2:30", 1, a);  // b did it three times, but once within 30 days
        assertCount("did", type + ":4", 0);
        long users = ((Number) scalar("SELECT count(*) FROM users")).longValue();
        assertEquals(users - 2, count("did_not", type + ":1:30"));
        assertEquals(users - 1, count("did_not", type + ":2:30"));
        assertEquals(users, count("did_not", type + ":4"));
        assertEquals(Set.of(c), listed("did_not", type + ":1:30"));
    }

    private static long count(String member, String value) {
        return api().queryParam(member, value).get("/api/users/count").then().statusCode(200).extract().jsonPath().getLong("count");
    }

    /** The users of this class's range that the filter lists. */
    private static Set<Long> listed(String member, String value) {
        Set<Long> ids = new TreeSet<>();
        api().queryParam(member, value).queryParam("search", "evc_").queryParam("limit", 1000).get("/api/users")
                .then().statusCode(200).extract().jsonPath().getList("users.user_id", String.class).stream()
                .map(Long::parseLong).filter(id -> id >= FROM && id <= TO).forEach(ids::add);
        return ids;
    }

    private static void assertCount(String member, String value, long expected, Long... users) {
        assertEquals(expected, count(member, value), member + "=" + value);
        Set<Long> wanted = new TreeSet<>(List.of(users));
        Set<Long> found = new TreeSet<>();
        api().queryParam(member, value).queryParam("limit", 1000).get("/api/users").then().statusCode(200).extract().jsonPath()
                .getList("users.user_id", String.class).forEach(id -> found.add(Long.parseLong(id)));
        assertEquals(wanted, found, "listed by " + member + "=" + value);
    }
}
