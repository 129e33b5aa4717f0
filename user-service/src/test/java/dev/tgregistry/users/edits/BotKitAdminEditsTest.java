package dev.tgregistry.users.edits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.model.Topics;
import dev.tgregistry.users.TestUserIds;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs docs/BOT-INTEGRATION.md's {@code registry_admin_edits.py} (the block after
 * {@code <!-- bot-kit: registry_admin_edits.py -->}) with python3 and kafka-python against this user-service's edits
 * on the broker: the bot's own bookings (sqlite) end with the admin's values; an edit whose applying failed is read
 * again after a restart while the ones applied before it are not (offsets committed only after applying); a replay
 * from the beginning and an older edit re-published after a newer one change nothing.
 *
 * <p>kafka-python is a Debian package (python3-kafka) that {@code .ci/run} installs and names in
 * {@value #PYTHON_ENV} (the interpreter that has it); without that variable (a developer's machine) the test is
 * skipped, with it and no module it fails.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
@EnabledIfEnvironmentVariable(named = BotKitAdminEditsTest.PYTHON_ENV, matches = ".+")
class BotKitAdminEditsTest {
    static final String PYTHON_ENV = "BOT_KIT_KAFKA_PYTHON";
    private static final Path GUIDE = Path.of("..", "docs", "BOT-INTEGRATION.md");
    private static final Pattern BLOCK = Pattern.compile("<!-- bot-kit: registry_admin_edits.py -->\\s*```python\\n(.*?)```", Pattern.DOTALL);
    private static final long FROM = TestUserIds.BOT_KIT_ADMIN_EDITS.from();
    private static final long TO = TestUserIds.BOT_KIT_ADMIN_EDITS.to();
    private static final long USER_1 = FROM + 1;
    private static final long USER_2 = FROM + 2;
    private static final long BOOKING_1 = FROM + 11;
    private static final long BOOKING_2 = FROM + 12;

    @Test
    void theBotAppliesEachAdminEditOnceInItsOwnDatabaseAndCommitsOnlyWhatItApplied() throws Exception {
        String range = " BETWEEN " + FROM + " AND " + TO;
        sql("DELETE FROM booking_admin_edits WHERE user_id" + range, "DELETE FROM bookings WHERE user_id" + range,
                "INSERT INTO bookings (id, user_id, course_id, course_stream, confirmed, created_at) VALUES ("
                        + BOOKING_1 + ", " + USER_1 + ", 1, '5th_stream', 1, now()), ("
                        + BOOKING_2 + ", " + USER_2 + ", 1, '5th_stream', 1, now())");
        KafkaResource.createTopics(Topics.ADMIN_EDITS);

        patch("/api/users/" + USER_1 + "/stream", "{\"stream\": \"6th_stream\"}");
        patch("/api/users/" + USER_1 + "/bookings", "{\"bookingId\": " + BOOKING_1 + ", \"updates\": {\"confirmed\": 2, \"discount_percent\": 15}}");
        patch("/api/users/" + USER_2 + "/bookings", "{\"updates\": {\"referral_code\": \"VIP\"}}");
        patch("/api/users/" + USER_2 + "/bookings", "{\"updates\": {\"referral_code\": null}}");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                ((Number) scalar("SELECT count(*) FROM booking_admin_edits WHERE published_at IS NOT NULL AND user_id" + range)).intValue() == 5);
        long discountEdit = editId(BOOKING_1, "discount_percent", "15");
        long vipEdit = editId(BOOKING_2, "referral_code", "VIP");

        Path kit = Files.createDirectories(Path.of("target", "bot-kit-admin-edits"));
        Files.deleteIfExists(kit.resolve("bot.db"));
        Matcher block = BLOCK.matcher(Files.readString(GUIDE));
        assertTrue(block.find(), "docs/BOT-INTEGRATION.md has the registry_admin_edits.py block");
        Files.writeString(kit.resolve("registry_admin_edits.py"), block.group(1));
        try (InputStream driver = getClass().getResourceAsStream("/bot-kit/admin_edits_driver.py")) {
            Files.write(kit.resolve("admin_edits_driver.py"), driver.readAllBytes());
        }
        String botBookings = "[{\"id\": " + BOOKING_1 + ", \"user_id\": " + USER_1 + ", \"course_stream\": \"5th_stream\", \"confirmed\": 1, "
                + "\"referral_code\": null, \"discount_percent\": 0}, {\"id\": " + BOOKING_2 + ", \"user_id\": " + USER_2
                + ", \"course_stream\": \"5th_stream\", \"confirmed\": 1, \"referral_code\": \"OLD\", \"discount_percent\": 0}]";

        JsonNode out = new ObjectMapper().readTree(python(kit, "admin_edits_driver.py", KafkaResource.bootstrapServers(),
                "bot.db", botBookings, Long.toString(discountEdit), Long.toString(vipEdit)));

        assertEquals("[[" + BOOKING_1 + ",\"6th_stream\",2,null,15],[" + BOOKING_2 + ",\"5th_stream\",1,null,0]]",
                out.get("bookings").toString(), "the bot's bookings hold the admin's values: " + out);
        assertEquals("the bot's database went away", out.path("crashed").asText(), out.toString());
        List<Long> appliedBeforeCrash = ids(out.get("outcomes").get("first").fieldNames());
        List<Long> readAfterRestart = ids(out.get("read").get("restarted").elements());
        assertEquals(5, appliedBeforeCrash.size() + readAfterRestart.size(), "each of the 5 edits applied once across the crash: " + out);
        // records are ordered per user (the key), not across users' partitions
        List<String> firstUsersEdits = List.of(((String) scalar("SELECT string_agg(id::text, ',') FROM booking_admin_edits WHERE user_id = "
                + USER_1)).split(","));
        List<Long> firstUserReadAfterRestart = readAfterRestart.stream().filter(id -> firstUsersEdits.contains(Long.toString(id))).toList();
        assertEquals(discountEdit, firstUserReadAfterRestart.get(0), "the edit that failed is read again first: " + out);
        assertFalse(readAfterRestart.stream().anyMatch(appliedBeforeCrash::contains), "an applied edit's offset was committed: " + out);
        out.get("outcomes").get("replay").forEach(outcome -> assertEquals("stale", outcome.asText(), "a replay changes nothing: " + out));
        assertEquals(5, out.get("outcomes").get("replay").size(), out.toString());
        assertEquals("{\"" + vipEdit + "\":\"stale\"}", out.get("outcomes").get("late").toString(),
                "an older edit arriving after the newer one changes nothing: " + out);
        assertTrue(out.get("snapshots").toString().contains(Long.toString(BOOKING_1)) && out.get("snapshots").toString().contains(Long.toString(BOOKING_2)),
                "the bot is told to send both bookings' snapshots: " + out);
    }

    private static void patch(String path, String body) {
        api().contentType("application/json").body(body).patch(path).then().statusCode(200);
    }

    private static long editId(long booking, String field, String value) {
        return ((Number) scalar("SELECT id FROM booking_admin_edits WHERE booking_id = " + booking + " AND field = '" + field
                + "' AND value = '" + value + "'")).longValue();
    }

    private static List<Long> ids(java.util.Iterator<?> items) {
        List<Long> ids = new ArrayList<>();
        items.forEachRemaining(item -> ids.add(item instanceof JsonNode node ? node.asLong() : Long.parseLong(item.toString())));
        return ids;
    }

    private static String python(Path dir, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(System.getenv(PYTHON_ENV), script));
        command.addAll(List.of(args));
        Path stderr = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectError(stderr.toFile()).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), "python3 did not finish");
        String err = Files.readString(stderr);
        assertEquals(0, process.exitValue(), "python3 failed (is kafka-python installed? .ci/run installs python3-kafka): " + err);
        return out.strip();
    }
}
