package dev.tgregistry.users.stats;

import dev.tgregistry.users.TestUserIds;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.UserSeen;
import dev.tgregistry.users.consumer.UserWriter;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.users.stats.LocalDays;
import dev.tgregistry.users.stats.Stats;
import dev.tgregistry.users.stats.StatsRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static dev.tgregistry.users.QueryFixtures.assertProblem;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * GET /api/stats: the user counts and "today" in a time zone. User ids 7_940_000..7_949_999. The day-boundary tests
 * read the counts for a fixed "now" in March 2001 (fixtures seen then, a period no other test uses) straight from
 * the repository, so they do not depend on the clock.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class StatsQueryTest {
    static final long FROM = TestUserIds.STATS_QUERY.from();
    static final long TO = TestUserIds.STATS_QUERY.to();
    static final ZoneId TEHRAN = ZoneId.of("Asia/Tehran"); // UTC+3:30 in March 2001
    static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles"); // UTC-8 in March 2001

    @Inject
    StatsRepository repository;
    @Inject
    UserWriter sightings;

    @BeforeEach
    void clean() {
        cleanRange(FROM, TO);
    }

    private static JsonPath stats(String query) {
        return api().get("/api/stats" + query).then().statusCode(200).contentType("application/json").extract().jsonPath();
    }

    private Stats countsAt(ZoneId zone, String now) {
        return repository.counts(LocalDays.of(zone, Instant.parse(now))).await().atMost(Duration.ofSeconds(10));
    }

    private static String seen(long id, String firstSeen, String lastSeen) {
        return "INSERT INTO users (user_id, first_seen_at, last_seen_at) VALUES (" + id + ", '" + firstSeen + "', '" + lastSeen + "')";
    }

    @Test
    void keepsTheOriginalKeysAndAddsTheUserCounts() {
        assertEquals(Set.of("totalUsers", "activeBookings", "confirmedPayments", "freeLessonRegistrations",
                        "newUsersToday", "newUsersLast7Days", "usersSeenToday", "activeUsers", "blockedUsers", "unreachable_reasons"),
                stats("").getMap("$").keySet());
        assertEquals(Set.of("blocked", "deactivated", "cant_initiate", "other"), stats("").getMap("unreachable_reasons").keySet());
    }

    @Test
    void anUnknownTimeZoneIsABadRequestNamingTz() {
        assertProblem(api().get("/api/stats?tz=Mars/Olympus_Mons").then(), 400, "tz");
        assertProblem(api().get("/api/stats?tz=Asia/Tehran%20extra").then(), 400, "tz");
        stats("?tz=Asia/Tehran");
        stats("?tz=UTC");
    }

    @Test
    void activeAndBlockedUsersFollowEveryWrite() {
        JsonPath before = stats("");
        sql(user(7_940_001, "st_a", null, null, "now()"),
                user(7_940_002, "st_b", null, null, "now()"),
                user(7_940_003, "st_c", null, null, "now()", false));
        JsonPath added = stats("");
        assertEquals(3, added.getLong("totalUsers") - before.getLong("totalUsers"));
        assertEquals(1, added.getLong("blockedUsers") - before.getLong("blockedUsers"));
        assertEquals(2, added.getLong("activeUsers") - before.getLong("activeUsers"));
        assertEquals(3, added.getLong("newUsersToday") - before.getLong("newUsersToday"));
        assertEquals(3, added.getLong("newUsersLast7Days") - before.getLong("newUsersLast7Days"));
        assertEquals(3, added.getLong("usersSeenToday") - before.getLong("usersSeenToday"));

        sql("UPDATE users SET is_active = false WHERE user_id IN (7940001, 7940002)",
                "UPDATE users SET is_active = true WHERE user_id = 7940003",
                "DELETE FROM users WHERE user_id = 7940002");
        JsonPath changed = stats("");
        assertEquals(2, changed.getLong("totalUsers") - before.getLong("totalUsers"));
        assertEquals(1, changed.getLong("blockedUsers") - before.getLong("blockedUsers"), "7940001 blocked, 7940003 unblocked");
        assertEquals(1, changed.getLong("activeUsers") - before.getLong("activeUsers"));

        // the kept counters agree with counting the table
        assertEquals(scalar("SELECT count(*) FROM users"), changed.getLong("totalUsers"));
        assertEquals(scalar("SELECT count(*) FROM users WHERE is_active IS FALSE"), changed.getLong("blockedUsers"));
        assertEquals(changed.getLong("totalUsers"), changed.getLong("activeUsers") + changed.getLong("blockedUsers"));
    }

    @Test
    void freeLessonRegistrationsFollowInsertsAndDeletes() {
        sql(user(7_940_011, "st_fl", null, null, "now()"));
        JsonPath before = stats("");
        sql("INSERT INTO free_lesson_registrations (id, user_id, email, lesson_type, lesson_date, registered_at) VALUES "
                + "(7940011, 7940011, 'a@example.org', 'st_one', '2026-01-01', now()), "
                + "(7940012, 7940011, 'a@example.org', 'st_two', '2026-01-01', now()), "
                + "(7940013, 7940011, 'a@example.org', 'st_three', '2026-01-01', now())");
        assertEquals(3, stats("").getLong("freeLessonRegistrations") - before.getLong("freeLessonRegistrations"));

        sql("DELETE FROM free_lesson_registrations WHERE id = 7940012");
        JsonPath deleted = stats("");
        assertEquals(2, deleted.getLong("freeLessonRegistrations") - before.getLong("freeLessonRegistrations"));
        assertEquals(scalar("SELECT count(*) FROM free_lesson_registrations"), deleted.getLong("freeLessonRegistrations"),
                "the kept counter agrees with counting the table");

        sql("DELETE FROM free_lesson_registrations WHERE user_id = 7940011"); // two rows, one statement (as an erasure)
        assertEquals(0, stats("").getLong("freeLessonRegistrations") - before.getLong("freeLessonRegistrations"));
    }

    private static long reason(JsonPath stats, String reason) {
        return stats.getLong("unreachable_reasons." + reason);
    }

    /** The reason counts come from the trigger-kept row; each write moves them, and they agree with counting the table. */
    @Test
    void usersAreCountedPerUnreachableReason() {
        JsonPath before = stats("");
        sql(user(7_940_201, "st_r1", null, null, "now()", false), // blocked before reasons were kept
                user(7_940_202, "st_r2", null, null, "now()", false),
                "UPDATE users SET unreachable_reason = 'deactivated' WHERE user_id = 7940202",
                user(7_940_203, "st_r3", null, null, "now()"),
                "UPDATE users SET unreachable_reason = 'cant_initiate' WHERE user_id = 7940203",
                user(7_940_204, "st_r4", null, null, "now()"),
                "UPDATE users SET unreachable_reason = 'other' WHERE user_id = 7940204");
        JsonPath added = stats("");
        assertEquals(1, reason(added, "blocked") - reason(before, "blocked"));
        assertEquals(1, reason(added, "deactivated") - reason(before, "deactivated"));
        assertEquals(1, reason(added, "cant_initiate") - reason(before, "cant_initiate"));
        assertEquals(1, reason(added, "other") - reason(before, "other"));
        assertEquals(2, added.getLong("blockedUsers") - before.getLong("blockedUsers"), "deactivated users are not active either");

        // a message in the private chat ends the cant_initiate; the blocked user unblocks; the deactivated one goes
        sql("UPDATE users SET unreachable_reason = NULL WHERE user_id = 7940203",
                "UPDATE users SET is_active = true WHERE user_id = 7940201",
                "DELETE FROM users WHERE user_id = 7940202");
        JsonPath changed = stats("");
        assertEquals(0, reason(changed, "blocked") - reason(before, "blocked"));
        assertEquals(0, reason(changed, "deactivated") - reason(before, "deactivated"));
        assertEquals(0, reason(changed, "cant_initiate") - reason(before, "cant_initiate"));
        assertEquals(1, reason(changed, "other") - reason(before, "other"));

        assertEquals(scalar("SELECT count(*) FROM users WHERE is_active IS FALSE AND unreachable_reason IS DISTINCT FROM 'deactivated'"),
                reason(changed, "blocked"));
        assertEquals(scalar("SELECT count(*) FROM users WHERE is_active IS FALSE AND unreachable_reason = 'deactivated'"),
                reason(changed, "deactivated"));
        assertEquals(scalar("SELECT count(*) FROM users WHERE is_active IS NOT FALSE AND unreachable_reason = 'cant_initiate'"),
                reason(changed, "cant_initiate"));
        assertEquals(scalar("SELECT count(*) FROM users WHERE is_active IS NOT FALSE AND unreachable_reason = 'other'"),
                reason(changed, "other"));
        assertEquals(changed.getLong("blockedUsers"), reason(changed, "blocked") + reason(changed, "deactivated"));
    }

    @Test
    void todayIsTheLocalDayOfTz() {
        sql(seen(7_940_101, "2001-03-10T23:30:00Z", "2001-03-10T23:30:00Z"), // UTC: yesterday; Tehran: 03:00 today
                seen(7_940_102, "2001-03-10T20:00:00Z", "2001-03-10T20:00:00Z"), // Tehran: 23:30 yesterday
                seen(7_940_103, "2001-03-11T00:05:00Z", "2001-03-11T00:05:00Z"), // today in both
                seen(7_940_104, "2001-02-01T10:00:00Z", "2001-03-10T21:00:00Z")); // old user, seen 00:30 today in Tehran
        String now = "2001-03-11T00:10:00Z";

        Stats utc = countsAt(ZoneOffset.UTC, now);
        assertEquals(1, utc.newUsersToday());
        assertEquals(1, utc.usersSeenToday());

        Stats tehran = countsAt(TEHRAN, now);
        assertEquals(2, tehran.newUsersToday(), "first seen 23:30 UTC is today in Tehran, the next day");
        assertEquals(3, tehran.usersSeenToday());

        // 07:30 UTC on the 11th is still the 10th in Los Angeles: all but the old user are new today there
        Stats losAngeles = countsAt(LOS_ANGELES, "2001-03-11T07:30:00Z");
        assertEquals(3, losAngeles.newUsersToday());
        assertEquals(4, losAngeles.usersSeenToday());
        assertEquals(0, countsAt(LOS_ANGELES, "2001-03-11T08:00:00Z").newUsersToday(), "midnight in Los Angeles: a new day");
    }

    @Test
    void theLast7DaysAreTodayAndTheSixLocalDaysBefore() {
        sql(seen(7_940_201, "2001-03-04T23:30:00Z", "2001-03-04T23:30:00Z"), // Tehran: the 5th, 03:00
                seen(7_940_202, "2001-03-05T00:00:00Z", "2001-03-05T00:00:00Z"), // the first instant of the UTC window
                seen(7_940_203, "2001-03-11T00:05:00Z", "2001-03-11T00:05:00Z"),
                seen(7_940_204, "2001-03-12T00:00:00Z", "2001-03-12T00:00:00Z")); // UTC tomorrow: not counted
        String now = "2001-03-11T00:10:00Z";
        assertEquals(2, countsAt(ZoneOffset.UTC, now).newUsersLast7Days());
        assertEquals(3, countsAt(TEHRAN, now).newUsersLast7Days());
    }

    /**
     * New users come from the quarter-hour rollup; a zone whose offset is no whole number of quarters (+00:10) cuts
     * quarters at both ends of its day and week, so those edges are counted from the table: one user of each cut
     * quarter is in the range, the other is not.
     */
    @Test
    void newUsersAreExactWhereTheDayCutsAQuarter() {
        sql(seen(7_940_301, "2001-03-10T23:48:00Z", "2001-03-10T23:48:00Z"), // 23:58 on the 10th at +00:10: yesterday
                seen(7_940_302, "2001-03-10T23:52:00Z", "2001-03-10T23:52:00Z"), // 00:02 on the 11th: today
                seen(7_940_303, "2001-03-11T12:00:00Z", "2001-03-11T12:00:00Z"), // today, a whole quarter
                seen(7_940_304, "2001-03-11T23:48:00Z", "2001-03-11T23:48:00Z"), // 23:58 on the 11th: today
                seen(7_940_305, "2001-03-11T23:52:00Z", "2001-03-11T23:52:00Z"), // 00:02 on the 12th: tomorrow
                seen(7_940_306, "2001-03-04T23:48:00Z", "2001-03-04T23:48:00Z"), // 23:58 on the 4th: before the week
                seen(7_940_307, "2001-03-04T23:52:00Z", "2001-03-04T23:52:00Z")); // 00:02 on the 5th: the week's first day
        Stats stats = countsAt(ZoneOffset.ofHoursMinutes(0, 10), "2001-03-11T10:00:00Z");
        assertEquals(3, stats.newUsersToday());
        assertEquals(5, stats.newUsersLast7Days(), "301 is on the 10th, within the week; 306 and 305 are not");
        assertEquals(3, countsAt(ZoneOffset.UTC, "2001-03-11T10:00:00Z").newUsersToday(), "303, 304 and 305 on the UTC 11th");
    }

    /** Sightings as the consumer writes them: one batch, one statement. */
    private void sighted(long id, String at) {
        sightedAll(List.of(id), at);
    }

    private void sightedAll(List<Long> ids, String at) {
        List<UserSeen> batch = ids.stream().map(id -> UserSeen.of(new TelegramUser(id, false, "st_seen" + id, "Seen", null, null, false),
                Instant.parse(at), new UserSeen.Source(id, "message"), null, UserSeen.VIA_PRIVATE_CHAT)).toList();
        sightings.applySightings(batch).await().atMost(Duration.ofSeconds(10));
    }

    /** The quarter-hour histogram (V22) holds, per quarter (summed over its slots), exactly the users whose last_seen_at is in it. */
    private static void assertHistogramAgreesWithTheTable() {
        assertEquals(0L, scalar("""
                SELECT count(*) FROM (SELECT bucket, sum(users) AS users FROM rollup_seen_user_quarters GROUP BY 1) q
                FULL JOIN (SELECT registry_quarter(last_seen_at) AS bucket, count(*) AS users FROM users
                            WHERE registry_quarter(last_seen_at) IS NOT NULL GROUP BY 1) t ON t.bucket = q.bucket
                WHERE COALESCE(q.users, 0) <> COALESCE(t.users, 0)"""), "quarters whose count differs from the table's");
    }

    /**
     * Users seen today are summed from the histogram of last_seen_at: a returning user's sighting moves them from
     * their old quarter to the new one, a sighting in the same quarter changes nothing, and a day's first and last
     * instants are in it while the instants around it are not.
     */
    @Test
    void usersSeenTodayStayExactAcrossSightingsAndQuarterEdges() {
        sql(seen(7_940_401, "2001-04-01T10:00:00Z", "2001-04-09T23:59:59Z"), // UTC: yesterday's last second; Tehran: 03:29 today
                seen(7_940_402, "2001-04-01T10:00:00Z", "2001-04-10T00:00:00Z"), // today's first instant (UTC)
                seen(7_940_403, "2001-04-01T10:00:00Z", "2001-04-10T23:59:59.999999Z"), // today's last instant (UTC); Tehran: tomorrow
                seen(7_940_404, "2001-04-01T10:00:00Z", "2001-04-11T00:00:00Z"), // UTC tomorrow
                seen(7_940_405, "2001-04-01T10:00:00Z", "2001-04-08T12:00:00Z")); // two days ago
        String now = "2001-04-10T12:00:00Z";
        assertEquals(2, countsAt(ZoneOffset.UTC, now).usersSeenToday(), "402 and 403");
        assertEquals(2, countsAt(TEHRAN, now).usersSeenToday(), "401 and 402: Tehran's day is 20:30 to 20:30 UTC");

        sighted(7_940_402, "2001-04-10T00:10:00Z"); // the same quarter
        assertEquals(2, countsAt(ZoneOffset.UTC, now).usersSeenToday());
        sightedAll(List.of(7_940_401L, 7_940_405L), "2001-04-10T00:14:59Z"); // one batch: two users from two old quarters
        assertEquals(4, countsAt(ZoneOffset.UTC, now).usersSeenToday());
        assertEquals(3, countsAt(TEHRAN, now).usersSeenToday(), "401, 402 and 405 (403 is tomorrow there)");
        sighted(7_940_403, "2001-04-11T00:05:00Z"); // the next UTC day
        assertEquals(3, countsAt(ZoneOffset.UTC, now).usersSeenToday());
        assertHistogramAgreesWithTheTable();
    }

    /** A zone whose offset cuts quarters (+00:10): the cut quarters at the day's two ends are counted from the table. */
    @Test
    void usersSeenTodayAreExactWhereTheDayCutsAQuarter() {
        sql(seen(7_940_501, "2001-04-01T10:00:00Z", "2001-04-09T23:48:00Z"), // 23:58 on the 9th at +00:10: yesterday
                seen(7_940_502, "2001-04-01T10:00:00Z", "2001-04-09T23:50:00Z"), // 00:00 on the 10th: today
                seen(7_940_503, "2001-04-01T10:00:00Z", "2001-04-10T12:00:00Z"), // today, a whole quarter
                seen(7_940_504, "2001-04-01T10:00:00Z", "2001-04-10T23:49:59Z"), // 23:59:59 on the 10th: today
                seen(7_940_505, "2001-04-01T10:00:00Z", "2001-04-10T23:50:00Z")); // 00:00 on the 11th: tomorrow
        ZoneOffset tenMinutes = ZoneOffset.ofHoursMinutes(0, 10);
        assertEquals(3, countsAt(tenMinutes, "2001-04-10T12:00:00Z").usersSeenToday(), "502, 503 and 504");
        sighted(7_940_501, "2001-04-09T23:50:00Z");
        assertEquals(4, countsAt(tenMinutes, "2001-04-10T12:00:00Z").usersSeenToday(), "501 seen at 00:00 today");
        assertEquals(3, countsAt(ZoneOffset.UTC, "2001-04-10T12:00:00Z").usersSeenToday(), "UTC: 503, 504 and 505");
    }

    /** An erased user leaves the histogram with their row; the histogram keeps agreeing with the table. */
    @Test
    void anErasedUserIsNoLongerSeenToday() {
        sql(seen(7_940_601, "2001-04-01T10:00:00Z", "2001-04-10T08:00:00Z"),
                seen(7_940_602, "2001-04-01T10:00:00Z", "2001-04-10T08:05:00Z"));
        String now = "2001-04-10T12:00:00Z";
        assertEquals(2, countsAt(ZoneOffset.UTC, now).usersSeenToday());
        api().delete("/api/users/7940601").then().statusCode(200);
        assertEquals(1, countsAt(ZoneOffset.UTC, now).usersSeenToday());
        sql("DELETE FROM users WHERE user_id = 7940602");
        assertEquals(0, countsAt(ZoneOffset.UTC, now).usersSeenToday());
        assertHistogramAgreesWithTheTable();
    }

    @Test
    void aDaylightSavingDayHasItsRealLength() {
        LocalDays spring = LocalDays.of(ZoneId.of("Europe/Berlin"), Instant.parse("2003-03-30T12:00:00Z"));
        assertEquals(Duration.ofHours(23), Duration.between(spring.todayStart(), spring.tomorrowStart()));
        assertEquals(Instant.parse("2003-03-29T23:00:00Z"), spring.todayStart());
        assertEquals(Instant.parse("2003-03-23T23:00:00Z"), spring.weekStart());
    }
}
