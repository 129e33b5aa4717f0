package dev.tgregistry.users.search;

import dev.tgregistry.users.TestUserIds;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.sql;
import static dev.tgregistry.users.QueryFixtures.assertProblem;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.idStrings;
import static dev.tgregistry.users.QueryFixtures.ids;
import static dev.tgregistry.users.QueryFixtures.items;
import static dev.tgregistry.users.QueryFixtures.mine;
import static dev.tgregistry.users.QueryFixtures.user;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/users/search. User ids 7_100_000..7_199_999. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class SearchQueryTest {
    static final long FROM = TestUserIds.SEARCH_QUERY.from();
    static final long TO = TestUserIds.SEARCH_QUERY.to();

    @BeforeEach
    void clean() {
        cleanRange(FROM, TO);
    }

    private static List<Map<String, Object>> search(String q) {
        return items(api().queryParam("q", q).get("/api/users/search").then().statusCode(200));
    }

    private static List<String> myIds(String q) {
        return ids(mine(search(q), FROM, TO));
    }

    /** exact username, username prefix, name prefix, substring; within a tier the most recently seen first. */
    private static void seedRanking() {
        sql(user(7_100_001, "zqxmir", null, null, "now() - interval '5 days'"),          // exact username
                user(7_100_002, "zqxmirBot", null, null, "now() - interval '1 day'"),    // username prefix, newer
                user(7_100_003, "zqxmir_old", null, null, "now() - interval '2 days'"),  // username prefix, older
                user(7_100_004, "plain7100004", "Zqxmira", null, "now()"),               // first-name prefix, newest of all
                user(7_100_005, null, "Olga", "Zqxmirova", "now() - interval '3 days'"), // last-name prefix
                user(7_100_006, "abczqxmir", null, null, "now()"),                       // substring (username)
                user(7_100_007, null, "Borzqxmira", null, "now() - interval '1 hour'")); // substring (first name)
    }

    @Test
    void ranksExactThenUsernamePrefixThenNamePrefixThenSubstringTiesByRecency() {
        seedRanking();
        assertEquals(idStrings(7_100_001, 7_100_002, 7_100_003, 7_100_004, 7_100_005, 7_100_006, 7_100_007), myIds("zqxmir"));
    }

    @Test
    void exactUsernameWithUnderscoreRanksFirst() {
        sql(user(7_100_011, "zqx_under", null, null, "now() - interval '5 days'"),
                user(7_100_012, "zqx_under_2", null, null, "now()"));
        assertEquals(idStrings(7_100_011, 7_100_012), myIds("zqx_under"));
    }

    @Test
    void isCaseInsensitiveAndDropsOneLeadingAtAndSurroundingSpace() {
        seedRanking();
        List<String> expected = idStrings(7_100_001, 7_100_002, 7_100_003, 7_100_004, 7_100_005, 7_100_006, 7_100_007);
        assertEquals(expected, myIds("ZQXMIR"));
        assertEquals(expected, myIds("ZqXmIr"));
        assertEquals(expected, myIds("@zqxmir"));
        assertEquals(expected, myIds("  @ZQXMIR  "));
        // only ONE leading @ is dropped: "@@zqxmir" is a search for "@zqxmir", which no name contains
        assertEquals(List.of(), myIds("@@zqxmir"));
    }

    @Test
    void matchesFullNameAsPrefixAndSubstring() {
        sql(user(7_100_010, null, "Zqxanna", "Karenina", "now()"),
                user(7_100_011, null, "Zqxanna", "Petrova", "now()"));
        assertEquals(idStrings(7_100_010), myIds("zqxanna kar"));
        assertEquals(idStrings(7_100_010), myIds("xanna karen"));
        assertEquals(idStrings(7_100_010), myIds("ZQXANNA KARENINA"));
    }

    @Test
    void substringFindsTheMiddleOfAUsername() {
        sql(user(7_100_020, "serejaris", "Сергей", null, "now() + interval '1 day'"));
        assertTrue(myIds("ris").contains("7100020"), "'ris' finds 'serejaris'");
        assertTrue(myIds("EJAR").contains("7100020"));
        assertTrue(myIds("@serejaris").contains("7100020"));
    }

    @Test
    void cyrillicIsCaseInsensitive() {
        sql(user(7_100_030, null, "Сергейжщ", "Иванов", "now()"),
                user(7_100_031, null, "ЖЩЁлка", null, "now() - interval '1 day'"));
        assertTrue(myIds("серг").contains("7100030"), "'серг' finds 'Сергей...'");
        assertEquals(idStrings(7_100_030), myIds("сергейжщ"));
        assertEquals(idStrings(7_100_030), myIds("СЕРГЕЙЖЩ"));
        assertEquals(idStrings(7_100_030), myIds("гейжщ"), "Cyrillic substring");
        assertEquals(idStrings(7_100_030), myIds("сергейжщ ив"), "Cyrillic first + last name prefix");
        assertEquals(idStrings(7_100_031), myIds("жщёлка"), "ё folds to Ё");
    }

    @Test
    void persianAndEmojiPassThrough() {
        sql(user(7_100_040, null, "پرستو", "کیانزقخ", "now()"),
                user(7_100_041, null, "Zqx🦊fox", null, "now()"),
                user(7_100_042, "zqx_🚀", null, null, "now()"));
        assertEquals(idStrings(7_100_040), myIds("کیانزقخ"), "Persian last-name prefix");
        assertEquals(idStrings(7_100_040), myIds("انزقخ"), "Persian substring");
        assertEquals(idStrings(7_100_040), myIds("پرستو کیانزقخ"), "Persian full name");
        assertEquals(idStrings(7_100_041), myIds("zqx🦊"), "emoji in a prefix");
        assertEquals(idStrings(7_100_041), myIds("🦊FOX"), "emoji in a substring");
        List<Map<String, Object>> rocket = mine(search("@ZQX_🚀"), FROM, TO);
        assertEquals(idStrings(7_100_042), ids(rocket));
        assertEquals("zqx_🚀", rocket.get(0).get("username"));
        assertEquals("@zqx_🚀", rocket.get(0).get("display_name"));
    }

    @Test
    void likeWildcardsInTheQueryAreLiteral() {
        sql(user(7_100_050, "zqx_under", null, null, "now()"),
                user(7_100_051, "zqxaunder", null, null, "now()"),
                user(7_100_052, "zqx%pct", null, null, "now()"),
                user(7_100_053, "zqxbpct", null, null, "now()"));
        assertEquals(idStrings(7_100_050), myIds("zqx_u"));
        assertEquals(idStrings(7_100_052), myIds("zqx%p"));
        assertEquals(idStrings(7_100_052), myIds("x%pc"));
    }

    @Test
    void limitDefaultsToFiftyAndIsCappedAtFifty() {
        sql("INSERT INTO users (user_id, username, first_seen_at, last_seen_at) "
                + "SELECT 7100100 + g, 'zqxlim' || g, now(), now() - g * interval '1 minute' FROM generate_series(1, 55) g");
        List<Map<String, Object>> all = search("zqxlim");
        assertEquals(50, all.size());
        assertEquals(50, mine(all, FROM, TO).size());
        // most recently seen first within the username-prefix tier
        assertEquals("7100101", all.get(0).get("user_id"));
        assertEquals("7100150", all.get(49).get("user_id"));

        api().queryParam("q", "zqxlim").queryParam("limit", 50).get("/api/users/search").then().statusCode(200).body("$", hasSize(50));
        api().queryParam("q", "zqxlim").queryParam("limit", 7).get("/api/users/search").then().statusCode(200).body("$", hasSize(7));
        api().queryParam("q", "zqxlim").queryParam("limit", 1).get("/api/users/search").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].user_id", equalTo("7100101"));
        for (String bad : new String[]{"51", "0", "-1", "abc", "1000"}) {
            assertProblem(api().queryParam("q", "zqxlim").queryParam("limit", bad).get("/api/users/search").then(),
                    400, "limit");
        }
        assertProblem(api().queryParam("q", "zqxlim").queryParam("limit", 51).get("/api/users/search").then(),
                400, "limit must be between 1 and 50");
    }

    @Test
    void queryLongerThan64CharactersIs400NamingQ() {
        String sixtyFour = "z".repeat(64);
        api().queryParam("q", sixtyFour).get("/api/users/search").then().statusCode(200).body("$", hasSize(0));
        api().queryParam("q", "@" + sixtyFour).get("/api/users/search").then().statusCode(200);
        api().queryParam("q", "  " + sixtyFour + "  ").get("/api/users/search").then().statusCode(200);
        assertProblem(api().queryParam("q", sixtyFour + "z").get("/api/users/search").then(), 400, "q ", "64");
        assertProblem(api().queryParam("q", "ж".repeat(65)).get("/api/users/search").then(), 400, "q ", "64");
    }

    @Test
    void emptyQueryIsAnEmptyList() {
        api().get("/api/users/search").then().statusCode(200).body("$", hasSize(0));
        api().queryParam("q", "").get("/api/users/search").then().statusCode(200).body("$", hasSize(0));
        api().queryParam("q", "   ").get("/api/users/search").then().statusCode(200).body("$", hasSize(0));
        api().queryParam("q", "@").get("/api/users/search").then().statusCode(200).body("$", hasSize(0));
        api().queryParam("q", " @ ").get("/api/users/search").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void namelessUserIsFoundByNumericId() {
        sql(user(7_100_060, null, null, null, "now() - interval '30 days'"));
        List<Map<String, Object>> found = search("7100060");
        assertFalse(found.isEmpty());
        Map<String, Object> first = found.get(0);
        assertEquals("7100060", first.get("user_id"), "the exact id ranks first");
        assertEquals("User 7100060", first.get("display_name"));
        assertEquals(null, first.get("username"));
        assertEquals(null, first.get("first_name"));
        assertEquals(null, first.get("last_name"));
        assertEquals(idStrings(7_100_060), myIds("@7100060"));
    }

    @Test
    void digitsBeyondTheLongRangeAreNotAServerError() {
        // 19 digits, larger than Long.MAX_VALUE: no user can have this id; the answer is a list, not a 500
        api().queryParam("q", "9999999999999999999").get("/api/users/search").then().statusCode(200);
        api().queryParam("q", "99999999999999999999").get("/api/users/search").then().statusCode(200);
    }

    @Test
    void aUserUpsertedAMomentAgoIsFoundImmediately() {
        api().queryParam("q", "zqxfresh").get("/api/users/search").then().statusCode(200);
        sql(user(7_100_070, "zqxfresh_one", "Fresh", null, "now()"));
        assertEquals(idStrings(7_100_070), myIds("zqxfresh"));
        sql("INSERT INTO users (user_id, username, first_seen_at, last_seen_at) VALUES (7100070, 'zqxrenamed', now(), now()) "
                + "ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username, last_seen_at = EXCLUDED.last_seen_at");
        assertEquals(List.of(), myIds("zqxfresh_one"));
        assertEquals(idStrings(7_100_070), myIds("zqxrenamed"));
    }

    @Test
    void itemsCarryExactlyTheContractFields() {
        sql(user(7_100_080, "zqxfields", "Field", "Tester", "now()", false),
                user(7_100_081, null, "Zqxfieldname", "Last", "now() - interval '1 day'"));
        List<Map<String, Object>> found = mine(search("zqxfield"), FROM, TO);
        assertEquals(2, found.size());
        Set<String> contract = Set.of("user_id", "username", "first_name", "last_name", "display_name", "is_active",
                "matched_name", "matched_field", "matched_former");
        for (Map<String, Object> item : found) {
            assertEquals(contract, item.keySet());
            assertTrue(item.get("user_id") instanceof String, "user_id is a JSON string");
        }
        Map<String, Object> first = found.get(0);
        assertEquals("7100080", first.get("user_id"));
        assertEquals("zqxfields", first.get("username"));
        assertEquals("Field", first.get("first_name"));
        assertEquals("Tester", first.get("last_name"));
        assertEquals("@zqxfields", first.get("display_name"));
        assertEquals(false, first.get("is_active"));
        assertEquals("zqxfields", first.get("matched_name"));
        assertEquals("username", first.get("matched_field"));
        assertEquals(false, first.get("matched_former"));
        Map<String, Object> second = found.get(1);
        assertEquals("Zqxfieldname Last", second.get("display_name"));
        assertEquals("Zqxfieldname Last", second.get("matched_name"));
        assertEquals("name", second.get("matched_field"));
        assertEquals(true, second.get("is_active"));
        api().queryParam("q", "zqxfields").get("/api/users/search").then().statusCode(200)
                .contentType("application/json").body("[0].user_id", equalTo("7100080"));
    }
}
