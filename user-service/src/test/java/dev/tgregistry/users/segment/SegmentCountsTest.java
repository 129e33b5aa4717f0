package dev.tgregistry.users.segment;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.users.TestUserIds;
import dev.tgregistry.users.reachability.ReachabilitySql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.tgregistry.users.QueryFixtures.booking;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.lit;
import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * GET /api/users/count of one member, or of profile members only, is answered from a smaller count (the user_counts
 * row, all users less the positive form, the profiles alone): each against the users the member selects, counted
 * by hand in SQL over the whole registry at the same moment (users without a profile, a JSON-null attribute, null
 * flags, a user with two bookings and a booking of a user the registry does not hold included in the seed).
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class SegmentCountsTest {
    static final long FROM = TestUserIds.SEGMENT_COUNTS.from();

    @BeforeEach
    void seed() {
        cleanRange(FROM, TestUserIds.SEGMENT_COUNTS.to());
        sql(user(FROM + 1, true, true), user(FROM + 2, false, null), user(FROM + 3, null, false), user(FROM + 4, true, null),
                "UPDATE users SET private_chat_since = now() WHERE user_id IN (" + (FROM + 1) + ", " + (FROM + 2) + ")",
                // languages through the update trigger, one of them changed (users per language, V24)
                "UPDATE users SET language_code = 'fa' WHERE user_id IN (" + (FROM + 1) + ", " + (FROM + 2) + ")",
                "UPDATE users SET language_code = 'ru' WHERE user_id = " + (FROM + 2),
                profile(FROM + 1, true, "math", "{\"plan\": \"pro\"}"),
                profile(FROM + 2, false, null, "{\"plan\": null}"),
                profile(FROM + 3, null, "physics", "{}"),
                booking(FROM + 1, FROM + 1, "segcount_stream", 2, null, null, "now()"),
                booking(FROM + 2, FROM + 1, "segcount_stream", 0, null, null, "now()"),
                booking(FROM + 3, FROM + 3, "segcount_other", -1, null, null, "now()"),
                // a booking whose user the registry does not hold (bookings has no FK to users): counted by none
                booking(FROM + 4, FROM + 50, "segcount_stream", 2, null, null, "now()"));
    }

    static String user(long id, Boolean active, Boolean premium) {
        return "INSERT INTO users (user_id, username, is_active, is_premium, first_seen_at, last_seen_at) VALUES (" + id
                + ", 'segcount" + id + "', " + (active == null ? "DEFAULT" : active) + ", " + premium + ", now(), now())";
    }

    static String profile(long id, Boolean onboarded, String track, String attributes) {
        return "INSERT INTO user_profiles (user_id, onboarding_completed, study_track, attributes) VALUES (" + id + ", "
                + onboarded + ", " + lit(track) + ", " + lit(attributes) + "::jsonb)";
    }

    @Test
    void oneMemberCountsAgreeWithTheUsersTheySelect() {
        Map<String, String> byHand = Map.ofEntries(
                Map.entry("active=true", "u.is_active IS NOT FALSE"),
                Map.entry("active=false", "u.is_active IS FALSE"),
                Map.entry("reachable_by_dm=true", ReachabilitySql.reachableByDm("u")),
                Map.entry("reachable_by_dm=false", "NOT " + ReachabilitySql.reachableByDm("u")),
                Map.entry("is_premium=false", "u.is_premium IS NOT TRUE"),
                Map.entry("is_premium=true", "u.is_premium IS TRUE"),
                Map.entry("language=fa", "u.language_code = 'fa'"),
                Map.entry("language=ru", "u.language_code = 'ru'"),
                Map.entry("onboarding_completed=false", "p.onboarding_completed IS NOT TRUE"),
                Map.entry("lacks=study_track", "p.study_track IS NULL"),
                Map.entry("attribute=!plan", "(p.attributes -> 'plan') IS NULL OR p.attributes -> 'plan' = 'null'::jsonb"),
                Map.entry("onboarding_completed=true", "p.onboarding_completed IS TRUE"),
                Map.entry("study_track=math", "p.study_track = 'math'"),
                Map.entry("attribute=plan", "jsonb_typeof(p.attributes -> 'plan') <> 'null'"),
                Map.entry("attribute=plan=pro", "p.attributes ->> 'plan' = 'pro'"),
                Map.entry("attribute=utm.source=ads", "p.attributes #>> '{utm,source}' = 'ads'"),
                Map.entry("booked=true", "EXISTS (SELECT 1 FROM bookings b WHERE b.user_id = u.user_id)"),
                Map.entry("booked=false", "NOT EXISTS (SELECT 1 FROM bookings b WHERE b.user_id = u.user_id)"),
                Map.entry("booking_status=2", "EXISTS (SELECT 1 FROM bookings b WHERE b.user_id = u.user_id AND b.confirmed = 2)"),
                Map.entry("stream=segcount_stream", "EXISTS (SELECT 1 FROM bookings b WHERE b.user_id = u.user_id"
                        + " AND b.course_stream = 'segcount_stream')"));
        byHand.forEach((query, where) -> {
            String[] member = query.split("=", 2);
            long count = api().queryParam(member[0], member[1]).get("/api/users/count").then().statusCode(200)
                    .extract().jsonPath().getLong("count");
            long expected = ((Number) scalar("SELECT count(*) FROM users u LEFT JOIN user_profiles p ON p.user_id = u.user_id WHERE "
                    + where)).longValue();
            assertEquals(expected, count, query);
        });
        long languages = api().queryParam("language", "ru", "fa", "ru").get("/api/users/count").then().statusCode(200)
                .extract().jsonPath().getLong("count");
        assertEquals(((Number) scalar("SELECT count(*) FROM users WHERE language_code IN ('ru', 'fa')")).longValue(), languages);
    }

    /**
     * A last-seen lower bound alone is counted from the quarter-hour histogram of last_seen_at (V22) and the cut
     * quarter from the table: users on both sides of the bound, of the quarter it cuts and of the next quarter.
     */
    @Test
    void aLastSeenLowerBoundCountsTheUsersSeenSinceIt() {
        Instant quarter = Instant.parse("2026-01-10T10:15:00Z");
        Instant bound = quarter.plusSeconds(7 * 60);
        List<Instant> seen = List.of(quarter, bound.minusSeconds(1), bound, bound.plusSeconds(60), quarter.plusSeconds(900),
                quarter.plusSeconds(905), quarter.plusSeconds(3 * 3600));
        for (int i = 0; i < seen.size(); i++) {
            sql(user(FROM + 10 + i, true, null), "UPDATE users SET last_seen_at = '" + seen.get(i) + "' WHERE user_id = " + (FROM + 10 + i));
        }
        for (Instant from : List.of(bound, quarter, quarter.plusSeconds(900))) {
            long count = api().queryParam("last_seen_from", from.toString()).get("/api/users/count").then().statusCode(200)
                    .extract().jsonPath().getLong("count");
            assertEquals(((Number) scalar("SELECT count(*) FROM users WHERE last_seen_at >= '" + from + "'")).longValue(), count,
                    "last_seen_from=" + from);
        }
        long withinTenYears = api().queryParam("last_seen_within", "P3650D").get("/api/users/count").then().statusCode(200)
                .extract().jsonPath().getLong("count");
        assertEquals(((Number) scalar("SELECT count(*) FROM users WHERE last_seen_at >= now() - interval '3650 days'")).longValue(),
                withinTenYears);
    }

    @Test
    void profileMembersTogetherCountTheProfilesTheySelect() {
        long count = api().queryParam("study_track", "math").queryParam("onboarding_completed", "true").queryParam("attribute", "plan=pro")
                .get("/api/users/count").then().statusCode(200).extract().jsonPath().getLong("count");
        assertEquals(((Number) scalar("SELECT count(*) FROM user_profiles WHERE study_track = 'math' AND onboarding_completed"
                + " AND attributes ->> 'plan' = 'pro'")).longValue(), count);
        List<String> mine = api().queryParam("study_track", "math").queryParam("onboarding_completed", "true")
                .queryParam("attribute", "plan=pro").queryParam("search", "segcount").get("/api/users").then().statusCode(200)
                .extract().jsonPath().getList("users.user_id", String.class);
        assertEquals(List.of(Long.toString(FROM + 1)), mine);
    }
}
