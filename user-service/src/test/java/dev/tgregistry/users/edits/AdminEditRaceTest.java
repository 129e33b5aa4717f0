package dev.tgregistry.users.edits;

import dev.tgregistry.users.TestUserIds;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient;
import dev.tgregistry.localstack.KafkaTestClient.TopicWatch;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.model.BookingAdminEdit;
import dev.tgregistry.model.BookingChanged;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edits that stick: a dashboard edit of a booking against the bot's snapshots arriving through the real broker,
 * and the edit's publication on registry.admin-edits.v1. User and booking ids 9_610_000_000..9_610_999_999.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class AdminEditRaceTest {
    private static final long FROM = TestUserIds.ADMIN_EDIT_RACE.from();
    private static final long TO = TestUserIds.ADMIN_EDIT_RACE.to();
    private static final Instant T1 = Instant.parse("2026-03-01T10:00:00Z");

    @BeforeEach
    void clean() {
        String range = " BETWEEN " + FROM + " AND " + TO;
        sql("DELETE FROM booking_admin_edits WHERE user_id" + range, "DELETE FROM bookings WHERE user_id" + range,
                "DELETE FROM users WHERE user_id" + range);
    }

    @Test
    void streamChangeSurvivesAnOlderStateSnapshotWithANewerChangedAtUntilTheBotCarriesIt() {
        long user = FROM + 1;
        long booking = FROM + 101;
        try (TopicWatch edits = new TopicWatch(KafkaResource.bootstrapServers(), Topics.ADMIN_EDITS)) {
            publish(snapshot(booking, user, "5th_stream", 1, 10, T1));
            await().atMost(Duration.ofSeconds(20)).until(() -> "5th_stream".equals(stream(booking)));

            api().contentType("application/json").body("{\"newStream\": \"6th_stream\"}").patch("/api/users/" + user + "/stream")
                    .then().statusCode(200).body("success", equalTo(true)).body("bookingId", equalTo(booking));
            assertEquals("6th_stream", stream(booking));

            // the bot, not knowing the edit yet, confirms the payment: newer changed_at, old stream
            publish(snapshot(booking, user, "5th_stream", 2, 10, T1.plusSeconds(3600)));
            await().atMost(Duration.ofSeconds(20)).until(() -> confirmed(booking) == 2);
            assertEquals("6th_stream", stream(booking), "the admin's stream stays");
            assertEquals(1L, scalar("SELECT count(*) FROM booking_admin_edits WHERE booking_id = " + booking + " AND settled_at IS NULL"));

            // the edit went out for the bot, keyed by the user, with the caller's key id
            ConsumerRecord<String, String> published = awaitEdit(edits, record -> record.value().contains("\"booking_id\":" + booking));
            BookingAdminEdit edit = RecordJson.read(published.value(), BookingAdminEdit.class);
            assertEquals(Long.toString(user), published.key());
            assertEquals(BookingAdminEdit.COURSE_STREAM, edit.field());
            assertEquals("6th_stream", edit.value().asText());
            assertEquals(user, edit.userId());
            assertTrue(edit.editedBy().startsWith("key-"), edit.editedBy());
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    scalar("SELECT published_at FROM booking_admin_edits WHERE booking_id = " + booking) != null);

            // the bot applied the edit: its snapshot carries the admin's stream, which settles the edit
            publish(snapshot(booking, user, "6th_stream", 2, 10, T1.plusSeconds(7200)));
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    "snapshot".equals(scalar("SELECT settled_by FROM booking_admin_edits WHERE booking_id = " + booking)));
            assertNotNull(scalar("SELECT settled_at FROM booking_admin_edits WHERE booking_id = " + booking));

            // from then on the bot owns the stream again
            publish(snapshot(booking, user, "7th_stream", 2, 10, T1.plusSeconds(10_800)));
            await().atMost(Duration.ofSeconds(20)).until(() -> "7th_stream".equals(stream(booking)));
        }
    }

    @Test
    void bookingEditsStickFieldByFieldAndOtherFieldsFollowTheBot() {
        long user = FROM + 2;
        long booking = FROM + 201;
        try (TopicWatch edits = new TopicWatch(KafkaResource.bootstrapServers(), Topics.ADMIN_EDITS)) {
            publish(snapshot(booking, user, "5th_stream", 1, 10, T1));
            await().atMost(Duration.ofSeconds(20)).until(() -> "5th_stream".equals(stream(booking)));

            api().contentType("application/json")
                    .body("{\"bookingId\": " + booking + ", \"updates\": {\"discount_percent\": null, \"referral_code\": \"VIP\"}}")
                    .patch("/api/users/" + user + "/bookings").then().statusCode(200)
                    .body("success", equalTo(true)).body("message", equalTo("Booking updated successfully"));
            assertEquals(0, ((Number) scalar("SELECT discount_percent FROM bookings WHERE id = " + booking)).intValue());

            // a stale snapshot changes the stream (not edited by the admin) and repeats the old discount and code
            publish(snapshot(booking, user, "4th_stream", 1, 10, T1.plusSeconds(60)));
            await().atMost(Duration.ofSeconds(20)).until(() -> "4th_stream".equals(stream(booking)));
            assertEquals(0, ((Number) scalar("SELECT discount_percent FROM bookings WHERE id = " + booking)).intValue());
            assertEquals("VIP", scalar("SELECT referral_code FROM bookings WHERE id = " + booking));

            await().atMost(Duration.ofSeconds(20)).until(() -> edits.drain(Duration.ofMillis(200)).stream()
                    .filter(r -> r.value().contains("\"booking_id\":" + booking)).count() >= 2);
            List<JsonNode> values = edits.drain(Duration.ZERO).stream().map(r -> RecordJson.read(r.value(), BookingAdminEdit.class))
                    .filter(e -> e.bookingId() == booking).map(BookingAdminEdit::value).toList();
            assertTrue(values.stream().anyMatch(v -> v.isInt() && v.intValue() == 0), "discount 0 as a JSON number: " + values);
            assertTrue(values.stream().anyMatch(v -> v.isTextual() && v.asText().equals("VIP")), values.toString());
        }
    }

    @Test
    void anEditWhosePublicationWasLostIsRelayed() {
        long user = FROM + 3;
        long booking = FROM + 301;
        try (TopicWatch edits = new TopicWatch(KafkaResource.bootstrapServers(), Topics.ADMIN_EDITS)) {
            // as if the service stopped between the commit and Kafka's acknowledgement
            sql("INSERT INTO booking_admin_edits (booking_id, user_id, field, value, edited_at, key_id) VALUES ("
                    + booking + ", " + user + ", 'confirmed', '2', now() - interval '1 minute', 'key-test')");
            ConsumerRecord<String, String> relayed = awaitEdit(edits, record -> record.value().contains("\"booking_id\":" + booking));
            BookingAdminEdit edit = RecordJson.read(relayed.value(), BookingAdminEdit.class);
            assertEquals(2, edit.value().intValue());
            assertEquals("key-test", edit.editedBy());
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    scalar("SELECT published_at FROM booking_admin_edits WHERE booking_id = " + booking) != null);
        }
    }

    @Test
    void aReadOnlyKeyCannotEdit() {
        long user = FROM + 4;
        sql("INSERT INTO bookings (id, user_id, course_id, course_stream, confirmed, created_at) VALUES ("
                + (FROM + 401) + ", " + user + ", 1, '5th_stream', 1, now())");
        io.restassured.RestAssured.given().header("Authorization", "Bearer read-only-key").contentType("application/json")
                .body("{\"updates\": {\"confirmed\": 2}}").patch("/api/users/" + user + "/bookings").then().statusCode(403);
        assertEquals(1, ((Number) scalar("SELECT confirmed FROM bookings WHERE id = " + (FROM + 401))).intValue());
        assertNull(scalar("SELECT id FROM booking_admin_edits WHERE user_id = " + user));
    }

    private static ConsumerRecord<String, String> awaitEdit(TopicWatch watch, Predicate<ConsumerRecord<String, String>> wanted) {
        return watch.awaitAny(wanted, Duration.ofSeconds(20)).stream().filter(wanted).findFirst()
                .orElseThrow(() -> new AssertionError("no admin edit on " + Topics.ADMIN_EDITS));
    }

    private static BookingChanged snapshot(long id, long user, String stream, int confirmed, int discount, Instant changedAt) {
        return new BookingChanged(1, id, user, "racer", "Race", 1, stream, confirmed, T1, "OLD", discount, changedAt);
    }

    private static void publish(BookingChanged booking) {
        KafkaTestClient.produce(KafkaResource.bootstrapServers(), Topics.BOOKINGS, booking.key(), RecordJson.write(booking));
    }

    private static String stream(long booking) {
        return (String) scalar("SELECT course_stream FROM bookings WHERE id = " + booking);
    }

    private static int confirmed(long booking) {
        Object value = scalar("SELECT confirmed FROM bookings WHERE id = " + booking);
        return value == null ? Integer.MIN_VALUE : ((Number) value).intValue();
    }
}
