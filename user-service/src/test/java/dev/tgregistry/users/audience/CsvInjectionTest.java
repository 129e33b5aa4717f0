package dev.tgregistry.users.audience;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.users.TestUserIds;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.tgregistry.users.QueryFixtures.booking;
import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.QueryFixtures.user;
import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.sql;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Telegram name that a spreadsheet would run as a formula reaches an audience's CSV export neutralised (a leading
 * {@code '}, quoted); numbers and timestamps stay exact. User ids 9_650_100_000..9_650_199_999; stream
 * {@code edge_csv_stream}.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class CsvInjectionTest {
    static final long FROM = TestUserIds.CSV_INJECTION.from();
    static final String STREAM = "edge_csv_stream";

    @BeforeEach
    void seed() {
        cleanRange(FROM, TestUserIds.CSV_INJECTION.to());
        sql(user(FROM + 1, "evil_user", "=HYPERLINK(\"http://evil\",\"x\")", null, "now()"),
                user(FROM + 2, null, "-2+3", null, "now()"),
                booking(FROM + 1, FROM + 1, STREAM, -1, null, null, "'2026-01-10T10:00:00Z'"));
    }

    private static String csv(String path) {
        return api().get(path).then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
    }

    @Test
    void aFormulaInATelegramNameIsNeutralisedInTheExport() {
        String nonCourse = csv("/api/users/non-course?format=csv");
        assertTrue(nonCourse.contains("\r\n" + (FROM + 1) + ",evil_user,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",\"'@evil_user\",true,false\r\n"),
                nonCourse);
        assertTrue(nonCourse.contains("\r\n" + (FROM + 2) + ",,\"'-2+3\",\"'-2+3\",true,false\r\n"), nonCourse);

        String students = csv("/api/stream-students?stream=" + STREAM + "&format=csv");
        assertTrue(students.contains("\r\n" + (FROM + 1) + ",evil_user,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",\"'@evil_user\","
                + "-1,2026-01-10T10:00:00.000Z,,0,booking,true,false\r\n"), students);
    }
}
