package dev.tgregistry.users.booking;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.users.TestSupport;
import dev.tgregistry.users.TestUserIds;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Two edits of one booking that arrive together serialise on the booking's row lock: the second sees the first's
 * value, so neither is lost. The test holds the row lock itself until both requests wait for it, which makes the
 * overlap certain.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class BookingEditConcurrencyTest {
    private static final long USER = TestUserIds.BOOKING_EDIT_CONCURRENCY.from();
    private static final long BOOKING = USER + 1;

    @BeforeEach
    void seed() {
        long to = TestUserIds.BOOKING_EDIT_CONCURRENCY.to();
        sql("DELETE FROM booking_admin_edits WHERE user_id BETWEEN " + USER + " AND " + to,
                "DELETE FROM bookings WHERE user_id BETWEEN " + USER + " AND " + to,
                "INSERT INTO bookings (id, user_id, course_id, course_stream, confirmed, created_at, referral_code) VALUES ("
                        + BOOKING + ", " + USER + ", 1, '5th_stream', 1, now(), 'OLD')");
    }

    @Test
    void twoConcurrentEditsOfOneFieldSerialiseAndTheSecondRecordsTheFirstAsItsPreviousValue() throws Exception {
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        try (Connection holder = TestSupport.db(); Statement lock = holder.createStatement()) {
            holder.setAutoCommit(false);
            lock.execute("SELECT id FROM bookings WHERE id = " + BOOKING + " FOR UPDATE");
            for (String code : List.of("A", "B")) {
                answers.add(CompletableFuture.supplyAsync(() -> api().contentType("application/json")
                        .body("{\"updates\": {\"referral_code\": \"" + code + "\"}}")
                        .patch("/api/users/" + USER + "/bookings").statusCode()));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingForALock(holder) == 2);
            holder.commit();
        }
        for (CompletableFuture<Integer> answer : answers) {
            assertEquals(200, answer.get());
        }

        List<String[]> edits = new ArrayList<>();
        try (Connection db = TestSupport.db(); Statement query = db.createStatement();
             ResultSet rows = query.executeQuery("SELECT value, previous_value, settled_by FROM booking_admin_edits WHERE booking_id = "
                     + BOOKING + " ORDER BY id")) {
            while (rows.next()) {
                edits.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
            }
        }
        assertEquals(2, edits.size());
        String first = edits.get(0)[0];
        String second = edits.get(1)[0];
        assertEquals("OLD", edits.get(0)[1]);
        assertEquals(first, edits.get(1)[1], "the second edit ran after the first committed");
        assertEquals("superseded", edits.get(0)[2]);
        assertNull(edits.get(1)[2], "the later edit is the pending one");
        assertNotNull(second);
        assertEquals(second, scalar("SELECT referral_code FROM bookings WHERE id = " + BOOKING));
    }

    private static long waitingForALock(Connection connection) throws Exception {
        try (Statement query = connection.createStatement(); ResultSet count = query.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")) {
            count.next();
            return count.getLong(1);
        }
    }
}
