package dev.tgregistry.users.search;

import dev.tgregistry.users.TestUserIds;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.db;
import static dev.tgregistry.users.TestSupport.sql;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.ids;
import static dev.tgregistry.users.QueryFixtures.items;
import static dev.tgregistry.users.QueryFixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Search ranking against an oracle: 600 users whose names share many prefixes and substrings, then for each of a
 * set of queries and limits the API's whole answer must equal what API.md's rule gives over every user in the
 * database, computed here in Java. The test profile's search window holds only the 5 most recently seen users,
 * so the answers come through every path of the search (first look, username prefixes, name prefixes, substrings,
 * the walk for queries without letters) and their combinations. User ids 7_800_000..7_899_999.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class SearchRankingOracleTest {
    static final long FROM = TestUserIds.SEARCH_RANKING_ORACLE.from();
    static final long TO = TestUserIds.SEARCH_RANKING_ORACLE.to();
    private static final String[] FIRST = {"Anna", "Banan", "Nab", "Ана", "Банан", "Anna Maria", "Zoanna", "Zo🦊", "🦊🦊", "Nab_Anna"};
    private static final String[] LAST = {"Annabel", "Nabokov", "Бананов", "Zob", "Анна"};

    private record Known(long id, String username, String firstName, String lastName, long lastSeenMicros) {
    }

    @BeforeAll
    static void seed() {
        cleanRange(FROM, TO);
        Random random = new Random(20261122);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String username = random.nextInt(10) < 7 ? "zo" + randomWord(random, "abn_", 2 + random.nextInt(5)) : null;
            String first = random.nextInt(10) < 8 ? FIRST[random.nextInt(FIRST.length)] : null;
            String last = random.nextInt(10) < 5 ? LAST[random.nextInt(LAST.length)] : null;
            // whole minutes, so many users share a last_seen_at and the user-id tie-break matters
            rows.add(user(FROM + i, username, first, last, "date_trunc('minute', now()) - " + random.nextInt(300) + " * interval '1 minute'"));
        }
        sql(rows.toArray(String[]::new));
    }

    @AfterAll
    static void cleanUp() {
        cleanRange(FROM, TO);
    }

    private static String randomWord(Random random, String alphabet, int length) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++) {
            word.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return word.toString();
    }

    @Test
    void everyAnswerIsTheRankingRuleOverAllUsers() throws SQLException {
        List<Known> everyone = everyone();
        Set<String> queries = new LinkedHashSet<>(List.of("zo", "zoa", "zoan", "zob", "ann", "anna", "ANNA MA", "nab", "nab_",
                "b_", "a_b", "_", "ана", "бан", "БАНАНОВ", "n", "an", "o", "abn", "bel", "okov", "maria", "anna maria a", "🦊", "🦊🦊", "zo🦊", "ан", "zz_none"));
        everyone.stream().filter(k -> k.id() >= FROM && k.username() != null).limit(8).forEach(k -> queries.add(k.username()));
        everyone.stream().filter(k -> k.id() >= FROM && k.username() == null && k.firstName() == null && k.lastName() == null)
                .limit(2).forEach(k -> queries.add(Long.toString(k.id())));
        int compared = 0;
        for (String q : queries) {
            for (int limit : new int[]{50, 7, 1}) {
                List<String> expected = oracle(everyone, q, limit);
                // the oracle knows current names; hits by a former name come after them and are NameHistoryTest's
                List<String> actual = ids(items(api().queryParam("q", q).queryParam("limit", limit)
                        .get("/api/users/search").then().statusCode(200)).stream()
                        .filter(hit -> !Boolean.TRUE.equals(hit.get("matched_former"))).toList());
                assertEquals(expected, actual, "q=" + q + " limit=" + limit);
                compared += expected.size();
            }
        }
        assertTrue(compared > 500, "the queries matched something: " + compared);
    }

    private static List<Known> everyone() throws SQLException {
        List<Known> all = new ArrayList<>();
        try (Connection c = db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT user_id, username, first_name, last_name, "
                     + "(extract(epoch FROM last_seen_at) * 1000000)::bigint FROM users")) {
            while (rs.next()) {
                all.add(new Known(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
            }
        }
        return all;
    }

    /** API.md: exact username (or the id), username prefix, name prefix, substring; ties by most recently seen. */
    private static List<String> oracle(List<Known> everyone, String query, int limit) {
        String q = query.toLowerCase(Locale.ROOT);
        boolean substrings = q.codePointCount(0, q.length()) >= 3;
        record Ranked(Known user, int tier) {
        }
        List<Ranked> ranked = new ArrayList<>();
        for (Known user : everyone) {
            String username = user.username() == null ? "" : user.username().toLowerCase(Locale.ROOT);
            String last = user.lastName() == null ? "" : user.lastName().toLowerCase(Locale.ROOT);
            String name = ((user.firstName() == null ? "" : user.firstName()) + " "
                    + (user.lastName() == null ? "" : user.lastName())).toLowerCase(Locale.ROOT);
            int tier;
            if (username.equals(q) || Long.toString(user.id()).equals(q)) {
                tier = 0;
            } else if (username.startsWith(q)) {
                tier = 1;
            } else if (name.startsWith(q) || last.startsWith(q)) {
                tier = 2; // first name, "first last" or last name
            } else if (substrings && (username.contains(q) || name.contains(q))) {
                tier = 3;
            } else {
                continue;
            }
            ranked.add(new Ranked(user, tier));
        }
        return ranked.stream()
                .sorted(Comparator.comparingInt(Ranked::tier)
                        .thenComparing(r -> r.user().lastSeenMicros(), Comparator.reverseOrder())
                        .thenComparing(r -> r.user().id(), Comparator.reverseOrder()))
                .limit(limit).map(r -> Long.toString(r.user().id())).toList();
    }
}
