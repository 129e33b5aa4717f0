package dev.tgregistry.users.reachability;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.RegistryRecord;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.UserSeen;
import dev.tgregistry.users.TestUserIds;
import dev.tgregistry.users.consumer.EventWriter;
import dev.tgregistry.users.consumer.UserWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.tgregistry.users.QueryFixtures.cleanRange;
import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.scalar;
import static dev.tgregistry.users.TestSupport.sql;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How send failures and sightings move a user's reachability, through the ingest writers (the consumers' code, on
 * the real database): each 403 class, private against group sightings, late arrivals either way, a deactivation's
 * stickiness, a block in the chat and a message after it. State is read as "is_active/reason/reachable_by_dm".
 * User ids 7_930_100..7_930_999.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class ReachabilityTransitionsTest {
    static final long FROM = TestUserIds.REACHABILITY_TRANSITIONS.from();
    static final String BLOCKED = "Forbidden: bot was blocked by the user";
    static final String DEACTIVATED = "Forbidden: user is deactivated";
    static final String CANT_INITIATE = "Forbidden: bot can't initiate conversation with a user";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-03-01T11:00:00Z");
    private static final Instant T2 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant T3 = Instant.parse("2026-03-01T13:00:00Z");
    private static final Instant T4 = Instant.parse("2026-03-01T14:00:00Z");

    @Inject
    UserWriter sightings;
    @Inject
    EventWriter events;

    @BeforeEach
    void clean() {
        cleanRange(FROM, TestUserIds.REACHABILITY_TRANSITIONS.to());
    }

    private static TelegramUser user(long id) {
        return new TelegramUser(id, false, "reach_" + id, "R", null, null, null);
    }

    private void seen(long id, Instant at, String via) {
        seen(UserSeen.of(user(id), at, null, null, via));
    }

    private void seen(UserSeen... batch) {
        sightings.applySightings(List.of(batch)).await().indefinitely();
    }

    private void status(long id, Instant at, String status) {
        seen(UserSeen.of(user(id), at, null, status, UserSeen.VIA_PRIVATE_CHAT));
    }

    /** A bot's report of a failed send, as the bot integration guide says to send it. */
    private void failed(long id, Instant at, int errorCode, String description) {
        ObjectNode details = JsonNodeFactory.instance.objectNode().put("error_code", errorCode);
        if (description != null) {
            details.put("description", description);
        }
        event(new BotEvent(RegistryRecord.SCHEMA_VERSION, UUID.randomUUID().toString(), id, "send_failed", details, at, null));
    }

    private void event(BotEvent event) {
        events.apply(List.of(event)).await().indefinitely();
    }

    private static String state(long id) {
        return (String) scalar("SELECT is_active || '/' || COALESCE(unreachable_reason, '-') || '/' || "
                + ReachabilitySql.reachableByDm("users") + " FROM users WHERE user_id = " + id);
    }

    private static Object time(String column, long id) {
        Object at = scalar("SELECT " + column + " FROM users WHERE user_id = " + id);
        return at == null ? null : ((java.sql.Timestamp) at).toInstant();
    }

    @Test
    void eachForbiddenDescriptionIsClassifiedAndKeptWithItsTime() {
        for (long id = FROM + 1; id <= FROM + 6; id++) {
            seen(id, T0, UserSeen.VIA_PRIVATE_CHAT);
        }
        failed(FROM + 1, T1, 403, BLOCKED);
        failed(FROM + 2, T1, 403, DEACTIVATED);
        failed(FROM + 3, T1, 403, CANT_INITIATE);
        failed(FROM + 4, T1, 403, "Forbidden: bot was kicked from the group chat");
        failed(FROM + 5, T1, 429, "Too Many Requests: retry after 5");
        event(new BotEvent(RegistryRecord.SCHEMA_VERSION, UUID.randomUUID().toString(), FROM + 6, "bot_blocked", null, T1, null));

        assertEquals("false/blocked/false", state(FROM + 1));
        assertEquals("false/deactivated/false", state(FROM + 2));
        assertEquals("true/cant_initiate/false", state(FROM + 3), "no private chat: not reachable, but not blocked");
        assertEquals("true/other/true", state(FROM + 4), "another chat's 403 says nothing about the private chat");
        assertEquals("true/-/true", state(FROM + 5), "not a 403: nothing about the user");
        assertEquals("false/blocked/false", state(FROM + 6), "a bot_blocked event without a code is the old report of a block");
        for (long id = FROM + 1; id <= FROM + 4; id++) {
            assertEquals(T1, time("unreachable_at", id));
        }
        api().get("/api/users/" + (FROM + 2)).then().statusCode(200)
                .body("user.is_active", equalTo(false)).body("user.reachable_by_dm", equalTo(false))
                .body("user.unreachable_reason", equalTo("deactivated"))
                .body("user.unreachable_at", equalTo("2026-03-01T11:00:00.000Z"));
    }

    @Test
    void aNewerPrivateMessageMakesABlockedUserReachableAgainAGroupMessageDoesNot() {
        long id = FROM + 10;
        seen(id, T0, UserSeen.VIA_PRIVATE_CHAT);
        failed(id, T1, 403, BLOCKED);
        seen(id, T2, UserSeen.VIA_GROUP);
        assertEquals("false/blocked/false", state(id));
        seen(id, T3, UserSeen.VIA_PRIVATE_CHAT);
        assertEquals("true/-/true", state(id));
        assertEquals(T3, time("active_changed_at", id));
        assertEquals(null, time("unreachable_at", id));
    }

    @Test
    void aPrivateMessageOlderThanTheFailureChangesNothing() {
        long id = FROM + 20;
        seen(id, T0, UserSeen.VIA_PRIVATE_CHAT);
        failed(id, T2, 403, BLOCKED);
        seen(id, T1, UserSeen.VIA_PRIVATE_CHAT); // arrives late
        assertEquals("false/blocked/false", state(id));
    }

    @Test
    void aFailureOlderThanTheLastPrivateMessageIsIgnored() {
        long id = FROM + 21;
        seen(id, T0, UserSeen.VIA_PRIVATE_CHAT);
        seen(id, T3, UserSeen.VIA_PRIVATE_CHAT);
        failed(id, T2, 403, BLOCKED); // reported late: the user wrote after it
        failed(id, T2, 403, CANT_INITIATE);
        assertEquals("true/-/true", state(id));
        failed(id, T4, 403, BLOCKED);
        assertEquals("false/blocked/false", state(id));
        failed(id, T3.plusSeconds(60), 403, DEACTIVATED); // older than the block on record
        assertEquals("false/blocked/false", state(id));
    }

    @Test
    void aUserTheBotCannotInitiateWithBecomesReachableOnlyByANewerPrivateMessage() {
        long id = FROM + 30;
        seen(id, T0, UserSeen.VIA_PRIVATE_CHAT);
        failed(id, T2, 403, CANT_INITIATE);
        assertEquals("true/cant_initiate/false", state(id));
        assertEquals(null, time("private_chat_since", id), "Telegram says there is no private chat");
        seen(id, T1, UserSeen.VIA_PRIVATE_CHAT); // older than the failure
        seen(id, T3, UserSeen.VIA_GROUP);
        assertEquals("true/cant_initiate/false", state(id));
        seen(id, T4, UserSeen.VIA_PRIVATE_CHAT);
        assertEquals("true/-/true", state(id));
        assertEquals(T4, time("private_chat_since", id));
    }

    @Test
    void aDeletedAccountStaysDeactivatedThroughSightingsUntilTelegramSaysOtherwise() {
        long id = FROM + 40;
        seen(id, T0, UserSeen.VIA_PRIVATE_CHAT);
        failed(id, T1, 403, DEACTIVATED);
        seen(id, T2, UserSeen.VIA_PRIVATE_CHAT);
        assertEquals("false/deactivated/false", state(id));
        status(id, T3, UserSeen.MEMBER); // Telegram's own notice: the user (re)started the bot
        assertEquals("true/-/true", state(id));
    }

    @Test
    void blockingInTheChatKeepsTheReasonAndAMessageAfterItInTheSameBatchEndsIt() {
        long id = FROM + 50;
        seen(id, T0, UserSeen.VIA_PRIVATE_CHAT);
        status(id, T1, UserSeen.KICKED);
        assertEquals("false/blocked/false", state(id));
        assertEquals(T1, time("unreachable_at", id));
        seen(UserSeen.of(user(id), T2, null, UserSeen.KICKED, UserSeen.VIA_PRIVATE_CHAT),
                UserSeen.of(user(id), T3, null, null, UserSeen.VIA_PRIVATE_CHAT));
        assertEquals("true/-/true", state(id));
        status(id, T4, UserSeen.KICKED);
        assertEquals("false/blocked/false", state(id));
    }

    @Test
    void anotherChatsFailureNeverHidesABlock() {
        long id = FROM + 60;
        seen(id, T0, UserSeen.VIA_PRIVATE_CHAT);
        failed(id, T1, 403, BLOCKED);
        failed(id, T2, 403, "Forbidden: bot is not a member of the channel chat");
        assertEquals("false/blocked/false", state(id));
    }

    @Test
    void aFailureForAUserNeverSeenCreatesThemBlockedAndAnErasedUserIsNotBroughtBack() {
        long fresh = FROM + 70;
        failed(fresh, T1, 403, BLOCKED);
        assertEquals("false/blocked/false", state(fresh));

        long erased = FROM + 71;
        seen(erased, T0, UserSeen.VIA_PRIVATE_CHAT);
        api().delete("/api/users/" + erased).then().statusCode(200);
        failed(erased, T1, 403, BLOCKED); // dated before the erasure
        assertEquals(null, state(erased));
        sql("DELETE FROM erased_users WHERE user_id = " + erased, "DELETE FROM audit_log WHERE user_id = " + erased);
    }
}
