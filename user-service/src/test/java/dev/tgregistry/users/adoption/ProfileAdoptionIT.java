package dev.tgregistry.users.adoption;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.Topics;
import dev.tgregistry.model.UserSeen;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tgregistry.users.adoption.LegacyAdoptionIT.fixture;
import static dev.tgregistry.users.adoption.LegacyAdoptionIT.number;
import static dev.tgregistry.users.adoption.LegacyAdoptionIT.run;
import static dev.tgregistry.users.adoption.LegacyAdoptionIT.text;
import static dev.tgregistry.users.adoption.LegacyAdoptionIT.time;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real service adopts a course bot's users table (profile columns on users) and a hello bot's (keyed by
 * telegram_id); profiles survive two restarts with sightings in between; a schema missing a needed column stops
 * startup naming it. User ids 3001..3005 and 4001..4003 in their own databases.
 */
class ProfileAdoptionIT {
    private static final Map<String, String> ENV = Map.of("APP_PROFILE_PHONE_REGION", "IR");
    private static final List<Long> COURSE_USERS = List.of(3001L, 3002L, 3003L, 3004L, 3005L);

    @Test
    void adoptsACourseBotUsersTableKeepingEveryProfileValue() throws Exception {
        String database = "course_bot";
        ServiceProcess.freshDatabase(database);
        try (Connection db = ServiceProcess.connect(database)) {
            run(db, fixture("bot_tables"));
            run(db, fixture("course_bot_users"));
        }
        Map<Long, String> profiles;
        try (ServiceProcess service = ServiceProcess.start("course-1", database, ENV).awaitReady(Duration.ofSeconds(120))) {
            // 4 of the bot's 5 rows have a profile value; the 46 users V4 backfilled from the bot tables into its users
            // table got its column default onboarding_completed = false, a value too
            assertTrue(service.log().contains("user profiles: 50 taken over from the users table"), service.log());
            String sara = body(service, "/api/users/3001/profile", 200);
            assertTrue(sara.contains("\"real_name\":\"سارا احمدی\""), sara);
            assertTrue(sara.contains("\"nickname\":\"Sara\""), sara);
            assertTrue(sara.contains("\"study_track\":\"ریاضی فیزیک\""), sara);
            assertTrue(sara.contains("\"grade_band\":\"۱۰-۱۲\""), sara);
            assertTrue(sara.contains("\"grade_year\":11"), sara);
            assertTrue(sara.contains("\"onboarding_completed\":true"), sara);
            assertTrue(sara.contains("\"phone\":\"+989121234567\""), sara);
            assertTrue(sara.contains("\"last_activity\":\"2025-03-05T09:30:00.000Z\""), sara);
            // NULL is_active reads as active; a user with only onboarding_completed = false still has that value
            String ivan = body(service, "/api/users/3002", 200);
            assertTrue(ivan.contains("\"is_active\":true"), ivan);
            assertTrue(ivan.contains("\"onboarding_completed\":false"), ivan);
            assertTrue(ivan.contains("\"first_seen_at\":\"2025-04-01T12:00:00.000Z\""), "created_at is first seen: " + ivan);
            // nicknames differing only in case: the lower user id keeps it, the other's is kept in attributes
            String reza = body(service, "/api/users/3003/profile", 200);
            assertTrue(reza.contains("\"nickname\":null"), reza);
            assertTrue(reza.contains("\"legacy_nickname\": \"sara\""), reza);
            assertTrue(reza.contains("\"phone\":\"+989121112233\""), "national phone normalised in region IR: " + reza);
            assertTrue(body(service, "/api/users/3003", 200).contains("\"is_active\":false"));
            assertTrue(body(service, "/api/users/3005/profile", 200).contains("\"phone\":\"not given\""));
            assertTrue(body(service, "/api/users/by-nickname?nickname=SARA", 200).contains("\"user_id\":\"3001\""));
            assertTrue(body(service, "/api/users/by-phone?phone=%2B989121112233", 200).contains("\"user_id\":\"3003\""));
            body(service, "/api/users/3004/profile", 404);
            assertTrue(body(service, "/api/users/3004", 200).contains("\"profile\":null"));
            assertTrue(body(service, "/api/users/3003/profile/history", 200).contains("\"changed_by\":\"adoption\""));
            profiles = profiles(service);
        }
        try (Connection db = ServiceProcess.connect(database)) {
            assertNull(text(db, "SELECT column_name FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'nickname'"),
                    "the profile has one home: user_profiles");
            assertEquals(0L, number(db, "SELECT count(*) FROM users WHERE is_active IS NULL"));
        }
        restartTwiceWithSightings(database, COURSE_USERS, profiles);
    }

    @Test
    void adoptsAHelloBotUsersTableKeyedByTelegramId() throws Exception {
        String database = "hello_bot";
        ServiceProcess.freshDatabase(database);
        try (Connection db = ServiceProcess.connect(database)) {
            run(db, fixture("hello_bot_users"));
        }
        Map<Long, String> profiles;
        try (ServiceProcess service = ServiceProcess.start("hello-1", database, ENV).awaitReady(Duration.ofSeconds(120))) {
            String alice = body(service, "/api/users/4001", 200);
            assertTrue(alice.contains("\"display_name\":\"@hello_user\""), alice);
            assertTrue(alice.contains("\"first_name\":\"Алиса\""), alice);
            assertTrue(alice.contains("\"last_name\":\"Иванова\""), alice);
            assertTrue(alice.contains("\"language_code\":\"ru\""), alice);
            assertTrue(alice.contains("\"first_seen_at\":\"2024-12-01T10:00:00.000Z\""), alice);
            assertTrue(alice.contains("\"last_seen_at\":\"2025-01-10T10:00:00.000Z\""), alice);
            assertTrue(alice.contains("\"profile\":null"), alice);
            String maryam = body(service, "/api/users/4002", 200);
            assertTrue(maryam.contains("\"display_name\":\"مریم رحیمی\""), maryam);
            assertTrue(maryam.contains("\"is_active\":false"), maryam);
            String nameless = body(service, "/api/users/4003", 200);
            assertTrue(nameless.contains("\"display_name\":\"User 4003\""), nameless);
            assertTrue(nameless.contains("\"is_active\":true"), "NULL is_active reads as active: " + nameless);
            // a bot writes the first profile of an adopted user
            HttpResponse<String> patched = service.patch("/api/users/4002/profile", "{\"nickname\": \"Маryam\"}");
            assertEquals(200, patched.statusCode(), patched.body());
            profiles = profiles(service);
        }
        try (Connection db = ServiceProcess.connect(database)) {
            assertEquals(4L, number(db, "SELECT count(*) FROM hello_bot_users_before_adoption"), "the table as it was is kept");
            assertEquals(3L, number(db, "SELECT count(*) FROM users"));
            assertEquals(1L, number(db, "SELECT count(*) FROM users WHERE hello_bot_id IS NOT NULL AND user_id = 4001"));
            assertEquals(OffsetDateTime.parse("2024-11-01T00:00:00Z").toInstant(), time(db, "SELECT first_seen_at FROM users WHERE user_id = 4003"));
        }
        assertTrue(profiles.get(4002L).startsWith("200 "), profiles.toString());
        restartTwiceWithSightings(database, List.of(4001L, 4002L, 4003L), profiles);
    }

    @Test
    void missingProfileColumnStopsStartupNamingIt() throws Exception {
        String database = "profile_column_check";
        ServiceProcess.freshDatabase(database);
        try (ServiceProcess service = ServiceProcess.start("column-1", database, Map.of())) {
            service.awaitReady(Duration.ofSeconds(120));
        }
        try (Connection db = ServiceProcess.connect(database)) {
            run(db, "ALTER TABLE user_profiles DROP COLUMN nickname");
        }
        try (ServiceProcess service = ServiceProcess.start("column-2", database, Map.of())) {
            assertNotEquals(0, service.awaitExit(Duration.ofSeconds(120)), "the service must refuse to start");
            assertTrue(service.log().contains("user_profiles.nickname"), service.log());
        }
    }

    /** Two restarts, sightings (new names) before each; every profile stays byte for byte what it was. */
    private static void restartTwiceWithSightings(String database, List<Long> users, Map<Long, String> before) {
        for (int restart = 1; restart <= 2; restart++) {
            try (ServiceProcess service = ServiceProcess.start(database + "-restart-" + restart, database, ENV)
                    .awaitReady(Duration.ofSeconds(120))) {
                String name = "renamed_" + restart;
                Instant seen = Instant.parse("2026-02-0" + restart + "T10:00:00Z");
                for (long id : users) {
                    UserSeen sighting = UserSeen.of(new TelegramUser(id, false, name + "_" + id, "Новое", "نام", "fa", null), seen, null, null);
                    KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.USER_SEEN, sighting.key(), RecordJson.write(sighting));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> users.stream()
                        .allMatch(id -> service.get("/api/users/" + id).body().contains("\"username\":\"" + name + "_" + id + "\"")));
                assertEquals(before, profiles(service), "profiles after restart " + restart + " and sightings");
            }
        }
    }

    private static Map<Long, String> profiles(ServiceProcess service) {
        Map<Long, String> profiles = new LinkedHashMap<>();
        for (long id = 3001; id <= 4003; id = id == 3005 ? 4001 : id + 1) {
            HttpResponse<String> response = service.get("/api/users/" + id + "/profile");
            profiles.put(id, response.statusCode() + " " + (response.statusCode() == 200 ? response.body() : ""));
        }
        return profiles;
    }

    private static String body(ServiceProcess service, String path, int status) {
        HttpResponse<String> response = service.get(path);
        assertEquals(status, response.statusCode(), path + ": " + response.body());
        return response.body();
    }
}
