package dev.tgregistry.users.audience;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.users.TestUserIds;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static dev.tgregistry.users.QueryFixtures.assertProblem;
import static dev.tgregistry.users.QueryFixtures.booking;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.registration;
import static dev.tgregistry.users.QueryFixtures.user;
import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.sql;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every list's cursor is the service's own, byte for byte: any changed character, an unsigned or forged cursor, or a
 * signed one whose pinned walk start lies before 2013 or in the future is a 400 problem naming {@code cursor}.
 * User ids 9_650_000_000..9_650_099_999; stream {@code edge_cursor_stream}.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class CursorAuthenticationTest {
    static final long FROM = TestUserIds.CURSOR_AUTHENTICATION.from();
    static final String STREAM = "edge_cursor_stream";
    static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    /** Each list with filters that hold at least two rows of this class' users, one row per page. */
    static final List<String> LISTS = List.of("/api/users?limit=1", "/api/users/non-course?limit=1",
            "/api/users/by-stream?stream=" + STREAM + "&limit=1", "/api/user-activity?days=7&limit=1",
            "/api/stream-students?stream=" + STREAM + "&limit=1");

    @Inject
    KeysetCursor cursors;

    @BeforeEach
    void seed() {
        cleanRange(FROM, TestUserIds.CURSOR_AUTHENTICATION.to());
        List<String> seed = new ArrayList<>();
        for (long id = FROM + 1; id <= FROM + 3; id++) {
            seed.add(user(id, "cursor_" + id, "Cursor", null, "now()"));
            seed.add(booking(id, id, STREAM, id == FROM + 3 ? 0 : 2, null, null, "now() - interval '1 hour'"));
            seed.add(registration(id, id, id + "@cursor.test", null, "now() - interval '1 hour'"));
        }
        seed.add(user(FROM + 4, "cursor_no_booking", "Cursor", null, "now()"));
        sql(seed.toArray(String[]::new));
    }

    private static String nextCursor(String list) {
        ExtractableResponse<Response> page = api().get(list).then().statusCode(200).extract();
        String cursor = page.header(AudiencePage.NEXT_CURSOR_HEADER);
        if (cursor == null) {
            cursor = page.jsonPath().getString("next_cursor");
        }
        assertNotNull(cursor, list + " has a second page");
        return cursor;
    }

    private static void assertRefused(String list, String cursor) {
        assertProblem(api().queryParam("cursor", cursor).get(list).then(), 400, "cursor");
    }

    @Test
    void everyChangedCharacterOfEveryListsCursorIsRefused() {
        for (String list : LISTS) {
            String cursor = nextCursor(list);
            api().queryParam("cursor", cursor).get(list).then().statusCode(200);
            for (int i = 0; i < cursor.length(); i++) {
                char c = cursor.charAt(i);
                // index ^ 1 also changes the last character of a base64 part in the bits a decoder may ignore
                char other = c == '.' ? 'A' : ALPHABET.charAt(ALPHABET.indexOf(c) ^ 1);
                assertRefused(list, cursor.substring(0, i) + other + cursor.substring(i + 1));
            }
            assertRefused(list, cursor + "A");
            assertRefused(list, cursor.substring(0, cursor.length() - 1));
        }
    }

    @Test
    void unsignedCursorsAreRefused() {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        // the unsigned cursors of earlier versions; the stream-students one reached PostgreSQL and answered 500
        assertRefused("/api/stream-students?stream=4th_stream", base64.encodeToString(
                "stream-students:4th_stream|2013-01-01T00:00:00Z|-999999999-01-01T00:00:00Z|1".getBytes(StandardCharsets.UTF_8)));
        assertRefused("/api/user-activity?days=7", base64.encodeToString(
                "leads:7:|+99999-01-01T00:00:00Z|0||1".getBytes(StandardCharsets.UTF_8)));
        assertRefused("/api/users/non-course", base64.encodeToString("non-course|12".getBytes(StandardCharsets.UTF_8)));
        assertRefused("/api/users", base64.encodeToString("2030-01-01T00:00:00Z|12".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aPinnedWalkStartOutsideItsBoundsIsRefusedEvenWhenSigned() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (Instant pinned : List.of(Instant.parse("2012-12-31T23:59:59Z"), now.plus(1, ChronoUnit.HOURS),
                Instant.parse("+99999-01-01T00:00:00Z"))) {
            assertRefused("/api/user-activity?days=7", cursors.encode("leads:7:", pinned, 0, null, 1));
            assertRefused("/api/stream-students?stream=" + STREAM,
                    cursors.encode("stream-students:" + STREAM, pinned, "2013-01-01T00:00:00Z", 1));
        }
        api().queryParam("cursor", cursors.encode("leads:7:", now.minus(1, ChronoUnit.DAYS), 0, null, 1))
                .get("/api/user-activity?days=7").then().statusCode(200);
        api().queryParam("cursor", cursors.encode("stream-students:" + STREAM, now.minus(1, ChronoUnit.DAYS), now, 1))
                .get("/api/stream-students?stream=" + STREAM).then().statusCode(200);
    }
}
