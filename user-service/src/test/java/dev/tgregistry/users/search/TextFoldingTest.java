package dev.tgregistry.users.search;

import dev.tgregistry.users.TestUserIds;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one text folding (migration V14, registry.fold_text) as every reader of names sees it: search by current and
 * former names, GET /api/users/list, "who was @x", by-nickname, nickname uniqueness, and the migration's handling of
 * nicknames that only the folding makes equal. User ids 9_660_001_500..599.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class TextFoldingTest {
    private static final long FROM = TestUserIds.TEXT_FOLDING.from();
    private static final long TO = TestUserIds.TEXT_FOLDING.to();
    private static final String MERGE_PATCH = "application/merge-patch+json; charset=UTF-8";
    private static final String ZWNJ = "\u200C";
    private static final String TATWEEL = "\u0640";

    @BeforeEach
    void clean() {
        String range = " WHERE user_id BETWEEN " + FROM + " AND " + TO;
        sql("DELETE FROM nickname_fold_conflicts" + range, "DELETE FROM user_name_history" + range, "DELETE FROM users" + range);
    }

    /** Pairs that must fold equal, and pairs that must not. */
    @Test
    void foldsPersianArabicRussianAndCompatibilityForms() {
        String[][] equal = {
                {"علي", "علی"},                       // Arabic yeh -> Persian yeh
                {"كريم", "کریم"},                     // Arabic kaf -> Persian keheh
                {"مصطفى", "مصطفی"},                   // alef maksura -> Persian yeh
                {"فاطمة", "فاطمه"},                   // teh marbuta -> heh
                {"می" + ZWNJ + "خواهم", "میخواهم"},   // ZWNJ removed
                {"علی\u200D", "علی"},                 // ZWJ removed
                {"مح" + TATWEEL + TATWEEL + "مد", "محمد"},  // tatweel removed
                {"مُحَمَّد", "محمد"},                  // harakat and shadda removed
                {"\uFECB\uFEE0\uFEF2", "علی"},        // Arabic presentation forms (NFKC), final yeh
                {"\uFB91\uFBFF", "کی"},               // Persian presentation forms (NFKC)
                {"Алёна", "алена"},                   // ё -> е, case
                {"ЁЛКА", "елка"},
                {"\uFF21\uFF4E\uFF4E\uFF41", "anna"}, // fullwidth (NFKC)
                {"\uFB01le", "file"},                 // ligature (NFKC)
                {"e\u0301", "\u00E9"},                // a decomposed accent composes (NFKC)
                {"\u200Fali\u200E", "ali"},           // RLM / LRM removed
        };
        for (String[] pair : equal) {
            assertEquals(fold(pair[1]), fold(pair[0]), pair[0] + " vs " + pair[1]);
        }
        assertEquals("алена", fold("Алёна"));
        assertEquals("علی", fold("علي"));
        assertNotEquals(fold("й"), fold("и"), "й is a letter of its own");
        assertNotEquals(fold("é"), fold("e"), "precomposed accents stay");
        assertNotEquals(fold("علی"), fold("عل"));
        assertEquals("annaǂm", scalar("SELECT registry.search_fold('Anna_M')"), "search_text's '_'");
        assertEquals(null, scalar("SELECT registry.fold_text(NULL)"));
    }

    @Test
    void searchFindsCurrentNamesHoweverTheyAreTyped() {
        long ali = FROM + 1;
        long alena = FROM + 2;
        long mehdi = FROM + 3;
        user(ali, null, "علی", "کریمی");
        user(alena, null, "Алёна", "Зуева");
        user(mehdi, "Mehdi_Kz9", "Mehdi", null);

        assertEquals(List.of(Long.toString(ali)), found("علي"));
        assertEquals(List.of(Long.toString(ali)), found("ﻋﻠﻲ كريمي"));
        assertEquals(List.of(Long.toString(ali)), found("كريمى"), "last-name prefix, Arabic letters");
        assertEquals(List.of(Long.toString(ali)), found("ريمي"), "substring, Arabic letters");
        assertEquals(List.of(Long.toString(alena)), found("алена зуева"));
        assertEquals(List.of(Long.toString(alena)), found("АЛЁНА"));
        assertEquals(List.of(Long.toString(mehdi)), found("\uFF2D\uFF25\uFF28\uFF24\uFF29_kz9"), "fullwidth username");
        api().queryParam("q", "علي").get("/api/users/search").then().statusCode(200)
                .body("find { it.user_id == '" + ali + "' }.matched_field", equalTo("name"))
                .body("find { it.user_id == '" + ali + "' }.matched_name", equalTo("علی کریمی"));
        api().queryParam("q", "mehdi_KZ9").get("/api/users/search").then().statusCode(200)
                .body("find { it.user_id == '" + mehdi + "' }.matched_field", equalTo("username"));
        // a query the folding empties finds nobody (rather than everybody)
        api().queryParam("q", ZWNJ + TATWEEL).get("/api/users/search").then().statusCode(200).body("$", hasSize(0));

        // GET /api/users/list?search= folds the same way (username or first name)
        assertEquals(List.of(Long.toString(ali)), listed("علي"));
        assertEquals(List.of(Long.toString(alena)), listed("алЁна"));
        assertEquals(List.of(Long.toString(mehdi)), listed("HDI_K"));
        assertEquals(List.of(), listed("зуева"), "the list's search reads username and first name only");
    }

    @Test
    void formerNamesAndWhoWasFold() {
        long id = FROM + 10;
        user(id, "now_someone_zq", "Someone", null);
        sql("INSERT INTO user_name_history (user_id, username, first_name, last_name, first_seen_at, last_seen_at) VALUES "
                + "(" + id + ", 'Old_Name_Zq', 'Алёна', 'فاطمة', '2025-01-01Z', '2025-02-01Z'),"
                + "(" + id + ", 'now_someone_zq', 'Someone', NULL, '2025-03-01Z', now())");

        Response former = api().queryParam("q", "алена").get("/api/users/search");
        former.then().statusCode(200);
        List<Map<String, Object>> hits = mine(former.jsonPath().getList("$"));
        assertEquals(1, hits.size(), hits.toString());
        assertEquals(true, hits.get(0).get("matched_former"));
        assertEquals(List.of(Long.toString(id)), found("فاطمه"), "former last name, Persian heh for teh marbuta");

        for (String typed : new String[]{"old_name_zq", "OLD_NAME_ZQ", "@\uFF2F\uFF4C\uFF44_name_zq"}) {
            api().queryParam("username", typed).get("/api/users/lookup").then().statusCode(200)
                    .body("findAll { it.user_id == '" + id + "' }", hasSize(1))
                    .body("find { it.user_id == '" + id + "' }.holds_it_now", equalTo(false));
            api().queryParam("username", typed).queryParam("at", "2025-01-15T00:00:00Z").get("/api/users/lookup").then()
                    .statusCode(200).body("findAll { it.user_id == '" + id + "' }", hasSize(1));
        }
        api().queryParam("username", "NOW_someone_zq").get("/api/users/lookup").then().statusCode(200)
                .body("find { it.user_id == '" + id + "' }.holds_it_now", equalTo(true));
        api().queryParam("username", "old_name_z").get("/api/users/lookup").then().statusCode(200)
                .body("findAll { it.user_id == '" + id + "' }", hasSize(0));
    }

    @Test
    void nicknamesEqualOnceFoldedAreOneNickname() {
        long owner = FROM + 20;
        long other = FROM + 21;
        long third = FROM + 22;
        patch(owner, "{\"nickname\": \"علي_رضا\"}").then().statusCode(200);
        patch(third, "{\"nickname\": \"Алёнка\"}").then().statusCode(200);
        for (String lookalike : new String[]{"علی_رضا", "عل" + TATWEEL + "ی_رضا", "عَلی_رضا", "علی" + ZWNJ + "_رضا", "ﻋﻠﻲ_رضا"}) {
            patch(other, "{\"nickname\": \"" + lookalike + "\"}").then().statusCode(409)
                    .contentType("application/problem+json").body("error", containsString("nickname"));
            api().queryParam("nickname", lookalike).get("/api/users/by-nickname").then().statusCode(200)
                    .body("user.user_id", equalTo(Long.toString(owner))).body("profile.nickname", equalTo("علي_رضا"));
        }
        patch(other, "{\"nickname\": \"алёнка\"}").then().statusCode(409);
        patch(other, "{\"nickname\": \"АЛЕНКА\"}").then().statusCode(409);
        api().queryParam("nickname", "аленка").get("/api/users/by-nickname").then().statusCode(200)
                .body("user.user_id", equalTo(Long.toString(third)));
        // a nickname that differs after folding is free
        patch(other, "{\"nickname\": \"علی_رضا_۲\"}").then().statusCode(200);
    }

    /**
     * V14's nickname step, run again on profiles made before it (the old index back, two pairs that only the
     * folding makes equal): the older claim keeps each nickname, the newer one is cleared, kept in attributes,
     * logged as a profile change and reported; the folded index is back.
     */
    @Test
    void migrationClearsTheNewerClaimOfNicknamesEqualOnceFolded() throws IOException {
        long older = FROM + 30;
        long newer = FROM + 31;
        long renamedLater = FROM + 32;
        long keptByChange = FROM + 33;
        String users = "INSERT INTO users (user_id, first_seen_at, last_seen_at) SELECT g, now(), now() FROM unnest(ARRAY["
                + older + "," + newer + "," + renamedLater + "," + keptByChange + "]::bigint[]) g";
        String step = migrationStep("-- 1. Nicknames", "-- 2. ");
        try {
            sql("DROP INDEX user_profiles_nickname_uq",
                    "CREATE UNIQUE INDEX user_profiles_nickname_uq ON user_profiles (lower(nickname)) WHERE nickname IS NOT NULL",
                    users,
                    // pair 1: profiles created a day apart, never changed
                    "INSERT INTO user_profiles (user_id, nickname, created_at) VALUES (" + older + ", 'Алёна_zq', now() - interval '2 days'), ("
                            + newer + ", 'алена_zq', now() - interval '1 day')",
                    // pair 2: the older profile took its nickname by a later change; the newer profile's claim is older
                    "INSERT INTO user_profiles (user_id, nickname, created_at) VALUES (" + renamedLater + ", 'كريم_zq', now() - interval '9 days'), ("
                            + keptByChange + ", 'کریم_zq', now() - interval '5 days')",
                    "INSERT INTO user_profile_changes (user_id, version, changed_at, changed_by, field, old_value, new_value) VALUES ("
                            + renamedLater + ", 2, now() - interval '1 day', 'test', 'nickname', NULL, '\"كريم_zq\"')");
        } finally {
            sql(step);
        }
        assertEquals("Алёна_zq", scalar("SELECT nickname FROM user_profiles WHERE user_id = " + older));
        assertEquals(null, scalar("SELECT nickname FROM user_profiles WHERE user_id = " + newer));
        assertEquals("алена_zq", scalar("SELECT attributes ->> 'legacy_nickname' FROM user_profiles WHERE user_id = " + newer));
        assertEquals(2L, scalar("SELECT version FROM user_profiles WHERE user_id = " + newer));
        assertEquals("کریم_zq", scalar("SELECT nickname FROM user_profiles WHERE user_id = " + keptByChange));
        assertEquals(null, scalar("SELECT nickname FROM user_profiles WHERE user_id = " + renamedLater));
        assertEquals(Long.toString(older), String.valueOf(scalar("SELECT kept_by_user_id FROM nickname_fold_conflicts WHERE user_id = " + newer)));
        assertEquals(Long.toString(keptByChange),
                String.valueOf(scalar("SELECT kept_by_user_id FROM nickname_fold_conflicts WHERE user_id = " + renamedLater)));
        assertEquals(2L, scalar("SELECT count(*) FROM nickname_fold_conflicts WHERE user_id BETWEEN " + FROM + " AND " + TO));
        assertEquals(1L, scalar("SELECT count(*) FROM user_profile_changes WHERE user_id = " + newer
                + " AND field = 'nickname' AND new_value IS NULL AND old_value = '\"алена_zq\"'"));
        assertTrue(String.valueOf(scalar("SELECT indexdef FROM pg_indexes WHERE indexname = 'user_profiles_nickname_uq'"))
                .contains("fold_text"));
        api().get("/api/users/" + newer + "/profile").then().statusCode(200).body("nickname", equalTo(null))
                .body("attributes.legacy_nickname", equalTo("алена_zq"));
        patch(newer, "{\"nickname\": \"АЛЕНА_zq\"}").then().statusCode(409);
    }

    private static String migrationStep(String from, String to) throws IOException {
        try (InputStream in = TextFoldingTest.class.getResourceAsStream("/db/migration/V14__text_folding.sql")) {
            String migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String step = migration.substring(migration.indexOf(from), migration.indexOf(to));
            return step.substring(step.indexOf("DO $$"), step.lastIndexOf("$$;") + 2);
        }
    }

    private static String fold(String text) {
        return (String) scalar("SELECT registry.fold_text('" + text.replace("'", "''") + "')");
    }

    private static void user(long id, String username, String firstName, String lastName) {
        sql("INSERT INTO users (user_id, username, first_name, last_name, first_seen_at, last_seen_at) VALUES (" + id + ", "
                + literal(username) + ", " + literal(firstName) + ", " + literal(lastName) + ", now(), now())");
    }

    private static String literal(String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }

    private static io.restassured.response.Response patch(long userId, String body) {
        return api().contentType(MERGE_PATCH).body(body).patch("/api/users/" + userId + "/profile");
    }

    /** Ids of this class's users that search finds for q. */
    private static List<String> found(String q) {
        Response response = api().queryParam("q", q).get("/api/users/search");
        response.then().statusCode(200);
        return mine(response.jsonPath().getList("$")).stream().map(hit -> (String) hit.get("user_id")).toList();
    }

    private static List<String> listed(String search) {
        Response response = api().queryParam("search", search).queryParam("limit", 100).get("/api/users/list");
        response.then().statusCode(200);
        List<Map<String, Object>> users = response.jsonPath().getList("users");
        return mine(users).stream().map(user -> String.valueOf(user.get("user_id"))).toList();
    }

    private static List<Map<String, Object>> mine(List<Map<String, Object>> hits) {
        return hits.stream().filter(hit -> {
            long id = Long.parseLong(String.valueOf(hit.get("user_id")));
            return id >= FROM && id <= TO;
        }).toList();
    }
}
