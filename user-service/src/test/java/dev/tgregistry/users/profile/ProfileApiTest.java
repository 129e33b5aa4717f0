package dev.tgregistry.users.profile;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.model.BookingChanged;
import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.Topics;
import dev.tgregistry.model.UserSeen;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Profiles through the REST API against the real PostgreSQL (and Kafka for sightings). User ids 7_910_000_001..7_910_000_099. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class ProfileApiTest {
    private static final String MERGE_PATCH = "application/merge-patch+json; charset=UTF-8";
    private static final long BASE = 7_910_000_000L;

    @BeforeEach
    void clean() {
        sql("DELETE FROM users WHERE user_id BETWEEN " + (BASE + 1) + " AND " + (BASE + 99));
    }

    static Response patch(long userId, String body) {
        return api().contentType(MERGE_PATCH).body(body).patch("/api/users/" + userId + "/profile");
    }

    @Test
    void mergePatchSetsMergesAndRemoves() {
        long id = BASE + 1;
        patch(id, """
                {"nickname": "Sara", "real_name": "سارا احمدی", "grade_year": 11, "onboarding_completed": false,
                 "study_track": "math", "last_activity": "2026-02-01T10:15:30.123+03:30",
                 "attributes": {"quiz": {"score": 7, "level": "b1"}, "city": "Тегеран"}}""")
                .then().statusCode(200).header("ETag", "\"1\"")
                .body("user_id", equalTo(Long.toString(id)))
                .body("version", equalTo(1))
                .body("real_name", equalTo("سارا احمدی"))
                .body("last_activity", equalTo("2026-02-01T06:45:30.123Z"))
                .body("attributes.quiz.score", equalTo(7));

        // plain application/json is taken as a merge patch too
        api().contentType("application/json").body("""
                {"real_name": null, "onboarding_completed": true, "attributes": {"quiz": {"level": null, "passed": true}}}""")
                .patch("/api/users/" + id + "/profile").then().statusCode(200).header("ETag", "\"2\"");

        // read-your-writes: the next GET sees everything
        api().get("/api/users/" + id + "/profile").then().statusCode(200).header("ETag", "\"2\"")
                .body("version", equalTo(2))
                .body("real_name", nullValue())
                .body("nickname", equalTo("Sara"))
                .body("grade_year", equalTo(11))
                .body("onboarding_completed", equalTo(true))
                .body("study_track", equalTo("math"))
                .body("attributes", equalTo(Map.of("quiz", Map.of("score", 7, "passed", true), "city", "Тегеран")));

        patch(id, "{\"attributes\": null, \"grade_year\": null}").then().statusCode(200)
                .body("attributes", equalTo(Map.of()))
                .body("grade_year", nullValue())
                .body("nickname", equalTo("Sara"));
        // a patch that changes nothing keeps the version
        patch(id, "{\"nickname\": \"Sara\"}").then().statusCode(200).body("version", equalTo(3));
    }

    @Test
    void anEmptyPatchCreatesAnEmptyProfile() {
        long id = BASE + 80;
        patch(id, "{}").then().statusCode(200).header("ETag", "\"1\"").body("version", equalTo(1));
        patch(id, "{}").then().statusCode(200).header("ETag", "\"1\"");
        api().get("/api/users/" + id + "/profile/history").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aPatchThatChangesNothingLeavesTheRowUntouched() {
        long id = BASE + 81;
        // attributes as stored (jsonb text, with spaces) differ from the patched text as written: still no change
        String body = "{\"nickname\": \"still\", \"attributes\": {\"k\": [1, 2], \"m\": {\"n\": null}}}";
        patch(id, body).then().statusCode(200).body("version", equalTo(1));
        Object written = scalar("SELECT xmin::text FROM user_profiles WHERE user_id = " + id);
        patch(id, body).then().statusCode(200).body("version", equalTo(1)).body("attributes.k", equalTo(List.of(1, 2)));
        assertEquals(written, scalar("SELECT xmin::text FROM user_profiles WHERE user_id = " + id),
                "no UPDATE (an adopted bot's table would get a write-back of nothing)");
        assertEquals(3L, scalar("SELECT count(*) FROM user_profile_changes WHERE user_id = " + id), "nickname, attributes.k, attributes.m");
    }

    @Test
    void staleIfMatchIs412() {
        long id = BASE + 2;
        api().contentType(MERGE_PATCH).header("If-Match", "*").body("{\"nickname\": \"nobody_yet\"}")
                .patch("/api/users/" + id + "/profile").then().statusCode(412);
        api().contentType(MERGE_PATCH).header("If-Match", "\"1\"").body("{\"nickname\": \"nobody_yet\"}")
                .patch("/api/users/" + id + "/profile").then().statusCode(412);
        patch(id, "{\"study_track\": \"a\"}").then().statusCode(200).header("ETag", "\"1\"");
        patch(id, "{\"study_track\": \"b\"}").then().statusCode(200).header("ETag", "\"2\"");

        api().contentType(MERGE_PATCH).header("If-Match", "\"1\"").body("{\"study_track\": \"stale\"}")
                .patch("/api/users/" + id + "/profile").then().statusCode(412)
                .contentType("application/problem+json").body("error", containsString("version 2"));
        api().contentType(MERGE_PATCH).header("If-Match", "\"2\"").body("{\"study_track\": \"fresh\"}")
                .patch("/api/users/" + id + "/profile").then().statusCode(200).header("ETag", "\"3\"");
        api().contentType(MERGE_PATCH).header("If-Match", "*").body("{\"grade_band\": \"x\"}")
                .patch("/api/users/" + id + "/profile").then().statusCode(200).header("ETag", "\"4\"");
        api().get("/api/users/" + id + "/profile").then().body("study_track", equalTo("fresh"));
    }

    @Test
    void nicknameIsUniqueWhateverItsCase() {
        long owner = BASE + 3;
        long other = BASE + 4;
        patch(owner, "{\"nickname\": \"Ali_Reza\"}").then().statusCode(200);
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger hibernate = Logger.getLogger("org.hibernate.orm.jdbc.error");
        hibernate.addHandler(capture);
        try {
            patch(other, "{\"nickname\": \"ali_reza\"}").then().statusCode(409)
                    .contentType("application/problem+json").body("error", containsString("nickname"));
        } finally {
            hibernate.removeHandler(capture);
        }
        assertEquals(List.of(), warnings.stream().map(LogRecord::getMessage).toList(),
                "an expected conflict is an answer, not a warning");
        // the refused write left nothing behind: no profile, no user
        api().get("/api/users/" + other + "/profile").then().statusCode(404);
        api().get("/api/users/" + other).then().statusCode(404);
        // the owner may change its case; once released, the name is free
        patch(owner, "{\"nickname\": \"ALI_REZA\"}").then().statusCode(200);
        api().queryParam("nickname", "ali_reza").get("/api/users/by-nickname").then().statusCode(200)
                .body("user.user_id", equalTo(Long.toString(owner))).body("profile.nickname", equalTo("ALI_REZA"));
        patch(owner, "{\"nickname\": null}").then().statusCode(200);
        patch(other, "{\"nickname\": \"Ali_Reza\"}").then().statusCode(200);
        api().queryParam("nickname", "ALI_reza").get("/api/users/by-nickname").then().statusCode(200)
                .body("user.user_id", equalTo(Long.toString(other)));
        api().queryParam("nickname", "nobody_has_this").get("/api/users/by-nickname").then().statusCode(404);
        api().get("/api/users/by-nickname").then().statusCode(400).body("error", containsString("nickname"));
    }

    @Test
    void concurrentPatchesOfTwoUsersToOneNicknameHaveOneWinner() throws Exception {
        for (int round = 0; round < 5; round++) {
            String nickname = "race_" + round;
            List<Long> users = List.of(BASE + 10 + 2L * round, BASE + 11 + 2L * round);
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Integer>> statuses = users.stream().map(user -> CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return patch(user, "{\"nickname\": \"" + nickname + "\"}").statusCode();
            })).toList();
            start.countDown();
            List<Integer> answered = statuses.stream().map(CompletableFuture::join).sorted().toList();
            assertEquals(List.of(200, 409), answered, "round " + round);
            assertEquals(1L, scalar("SELECT count(*) FROM user_profiles WHERE lower(nickname) = '" + nickname + "'"));
        }
    }

    @Test
    void concurrentFirstPatchesOfOneUserBothApply() {
        long id = BASE + 30;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> statuses = List.of("real_name", "study_track").stream()
                .map(field -> CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return patch(id, "{\"" + field + "\": \"x\"}").statusCode();
                })).toList();
        start.countDown();
        assertEquals(List.of(200, 200), statuses.stream().map(CompletableFuture::join).toList());
        api().get("/api/users/" + id + "/profile").then().body("version", equalTo(2))
                .body("real_name", equalTo("x")).body("study_track", equalTo("x"));
    }

    @Test
    void phonesAreStoredAndFoundInE164() {
        long id = BASE + 40;
        long twin = BASE + 41;
        patch(id, "{\"phone\": \"+98 (912) 123-4567\"}").then().statusCode(200).body("phone", equalTo("+989121234567"));
        patch(twin, "{\"phone\": \"00989121234567\"}").then().statusCode(200).body("phone", equalTo("00989121234567"));
        patch(twin, "{\"phone\": \"+989121234567\"}").then().statusCode(200);
        api().queryParam("phone", "+98 912 123 45 67").get("/api/users/by-phone").then().statusCode(200)
                .body("", hasSize(2))
                .body("[0].user.user_id", equalTo(Long.toString(id)))
                .body("[0].profile.phone", equalTo("+989121234567"))
                .body("[1].user.user_id", equalTo(Long.toString(twin)));
        // not a phone number: kept as written, found as written
        patch(id, "{\"phone\": \"ask my mom\"}").then().statusCode(200).body("phone", equalTo("ask my mom"));
        api().queryParam("phone", "ask my mom").get("/api/users/by-phone").then().body("", hasSize(1));
        api().queryParam("phone", "+79161234567").get("/api/users/by-phone").then().statusCode(200).body("", hasSize(0));
        api().get("/api/users/by-phone").then().statusCode(400).body("error", containsString("phone"));
    }

    @Test
    void gradeYearKeepsTheBotsTextAndItsNumberWhenItHasOne() {
        long id = BASE + 43;
        patch(id, "{\"grade_year\": \"دهم\"}").then().statusCode(200)
                .body("grade_year_text", equalTo("دهم")).body("grade_year", nullValue());
        patch(id, "{\"grade_year\": \"۱۱\"}").then().statusCode(200)
                .body("grade_year_text", equalTo("۱۱")).body("grade_year", equalTo(11));
        patch(id, "{\"grade_year\": 12}").then().statusCode(200)
                .body("grade_year_text", equalTo("12")).body("grade_year", equalTo(12));
        patch(id, "{\"grade_year\": \"" + "x".repeat(33) + "\"}").then().statusCode(400)
                .body("error", containsString("grade_year"));
    }

    @Test
    void fieldOfTheWrongTypeIs400NamingIt() {
        long id = BASE + 42;
        Map<String, String> wrong = Map.of(
                "{\"grade_year\": true}", "grade_year",
                "{\"grade_year\": 1.5}", "grade_year",
                "{\"onboarding_completed\": \"yes\"}", "onboarding_completed",
                "{\"nickname\": 42}", "nickname",
                "{\"nickname\": \"  \"}", "nickname",
                "{\"attributes\": [1, 2]}", "attributes",
                "{\"last_activity\": \"yesterday\"}", "last_activity",
                "{\"favourite_colour\": \"green\"}", "favourite_colour",
                "{\"version\": 7}", "version",
                "[{\"nickname\": \"a\"}]", "JSON object");
        wrong.forEach((body, field) -> patch(id, body).then().statusCode(400)
                .contentType("application/problem+json").body("error", containsString(field)));
        patch(id, "{\"nickname\": ").then().statusCode(400);
        api().get("/api/users/" + id + "/profile").then().statusCode(404);
        patch(0, "{}").then().statusCode(400).body("error", containsString("id"));
    }

    @Test
    void readOnlyKeyMayReadButNotWrite() {
        long id = BASE + 43;
        patch(id, "{\"nickname\": \"reader_test\"}").then().statusCode(200);
        given().header("Authorization", "Bearer read-only-key").contentType(MERGE_PATCH).body("{\"nickname\": \"nope\"}")
                .patch("/api/users/" + id + "/profile").then().statusCode(403)
                .contentType("application/problem+json").body("error", containsString("write"));
        given().header("Authorization", "Bearer read-only-key").get("/api/users/" + id + "/profile").then().statusCode(200)
                .body("nickname", equalTo("reader_test"));
        given().header("Authorization", "Bearer read-only-key").get("/api/users/" + id + "/profile/history").then().statusCode(200);
        given().contentType(MERGE_PATCH).body("{}").patch("/api/users/" + id + "/profile").then().statusCode(401);
    }

    @Test
    void profileBeforeTheFirstSightingThenTheSightingFillsTheNames() {
        long id = BASE + 50;
        patch(id, "{\"nickname\": \"early_bird\", \"onboarding_completed\": true}").then().statusCode(200);
        api().get("/api/users/" + id).then().statusCode(200)
                .body("user.user_id", equalTo(Long.toString(id)))
                .body("user.username", nullValue())
                .body("user.display_name", equalTo("User " + id))
                .body("user.is_active", equalTo(true))
                .body("profile.nickname", equalTo("early_bird"))
                .body("profile.version", equalTo(1));
        String profile = api().get("/api/users/" + id + "/profile").asString();

        sight(UserSeen.of(new TelegramUser(id, false, "bird", "Маша", "Птичкина", "ru", null),
                Instant.parse("2026-01-05T10:00:00Z"), null, null));
        await().atMost(Duration.ofSeconds(20)).until(() -> "bird".equals(api().get("/api/users/" + id).path("user.username")));
        api().get("/api/users/" + id).then()
                .body("user.first_name", equalTo("Маша"))
                .body("user.display_name", equalTo("@bird"))
                .body("user.first_seen_at", equalTo("2026-01-05T10:00:00.000Z"));
        assertEquals(profile, api().get("/api/users/" + id + "/profile").asString(), "the sighting left the profile alone");
    }

    @Test
    void sightingsReplaysBookingsAndEventsLeaveTheProfileAlone() {
        long id = BASE + 51;
        Instant t1 = Instant.parse("2026-01-06T10:00:00Z");
        sight(UserSeen.of(new TelegramUser(id, false, "student", "Ali", null, "fa", null), t1, null, null));
        await().atMost(Duration.ofSeconds(20)).until(() -> api().get("/api/users/" + id).statusCode() == 200);
        patch(id, """
                {"nickname": "steady", "real_name": "علی رضایی", "phone": "+989350000001", "grade_band": "high",
                 "attributes": {"goal": "konkur"}}""").then().statusCode(200);
        String profile = api().get("/api/users/" + id + "/profile").asString();

        UserSeen later = UserSeen.of(new TelegramUser(id, false, "student_new", "Ali", "R", "en", true),
                t1.plusSeconds(3600), null, UserSeen.KICKED);
        sight(later);
        sight(later); // replay
        sight(UserSeen.of(new TelegramUser(id, false, "student", "Ali", null, "fa", null), t1, null, null)); // replay of the first
        BotEvent event = new BotEvent(null, "profile-test-" + id, id, "view_program", null, t1.plusSeconds(7200), null);
        KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.BOT_EVENTS, event.key(), RecordJson.write(event));
        BookingChanged booking = new BookingChanged(1, BASE + 51, id, "student", "Ali", 1, "5th_stream", 2,
                t1, null, 0, t1.plusSeconds(7300));
        KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.BOOKINGS, booking.key(), RecordJson.write(booking));

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Response user = api().get("/api/users/" + id);
            return "student_new".equals(user.path("user.username")) && user.asString().contains("5th_stream")
                    && user.asString().contains("view_program");
        });
        assertEquals(profile, api().get("/api/users/" + id + "/profile").asString(), "profile untouched by the pipeline");
        assertEquals(1L, scalar("SELECT count(*) FROM user_profile_changes WHERE user_id = " + id + " AND field = 'nickname'"));
    }

    @Test
    void everyChangeIsInTheHistoryNewestFirst() throws Exception {
        long id = BASE + 60;
        patch(id, "{\"nickname\": \"hist\", \"attributes\": {\"a\": 1}}").then().statusCode(200);
        assertEquals("{\"a\": 1}", scalar("SELECT attributes::text FROM user_profiles WHERE user_id = " + id));
        given().header("Authorization", "Bearer second-test-key").contentType(MERGE_PATCH)
                .body("{\"nickname\": \"hist2\", \"grade_year\": 10, \"attributes\": {\"a\": null, \"b\": {\"c\": true}}}")
                .patch("/api/users/" + id + "/profile").then().statusCode(200);
        patch(id, "{\"nickname\": \"hist2\"}").then().statusCode(200); // no change, no entry

        String firstKey = keyId("test-api-key");
        String secondKey = keyId("second-test-key");
        api().get("/api/users/" + id + "/profile/history").then().statusCode(200)
                .body("", hasSize(6))
                .body("[0].version", equalTo(2))
                .body("[0].changed_by", equalTo(secondKey))
                .body("field", equalTo(List.of("attributes.b", "attributes.a", "grade_year", "nickname", "attributes.a", "nickname")))
                .body("[0].old_value", nullValue())
                .body("[0].new_value", equalTo(Map.of("c", true)))
                .body("[1].old_value", equalTo(1))
                .body("[1].new_value", nullValue())
                .body("[3].old_value", equalTo("hist"))
                .body("[3].new_value", equalTo("hist2"))
                .body("[5].changed_by", equalTo(firstKey))
                .body("[5].version", equalTo(1))
                .body("[5].old_value", nullValue());
        api().get("/api/users/" + id + "/profile/history?limit=2").then().body("", hasSize(2));
        api().get("/api/users/" + id + "/profile/history?limit=0").then().statusCode(400);
        // none of it is logged anywhere but the table: the caller is a key id, never the key
        api().get("/api/users/" + id + "/profile/history").then().body(org.hamcrest.Matchers.not(containsString("test-api-key")));
    }

    @Test
    void userDetailCarriesTheProfileOrNull() {
        long id = BASE + 70;
        sql("INSERT INTO users (user_id, first_name, first_seen_at, last_seen_at) VALUES (" + id + ", 'Нет', now(), now())");
        api().get("/api/users/" + id).then().statusCode(200).body("profile", nullValue()).body("user.first_name", equalTo("Нет"));
        api().get("/api/users/" + id + "/profile").then().statusCode(404).contentType("application/problem+json");
        patch(id, "{\"grade_band\": \"۱۰-۱۲\"}").then().statusCode(200);
        api().get("/api/users/" + id).then().statusCode(200).body("profile.grade_band", equalTo("۱۰-۱۲"))
                .body("profile.user_id", equalTo(Long.toString(id)));
    }

    /** How ApiKeys names a key in audit rows: "key-" and the first 12 hex digits of its SHA-256. */
    static String keyId(String key) throws Exception {
        byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return "key-" + java.util.HexFormat.of().formatHex(hash, 0, 6);
    }

    static void sight(UserSeen seen) {
        KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.USER_SEEN, seen.key(), RecordJson.write(seen));
    }
}
