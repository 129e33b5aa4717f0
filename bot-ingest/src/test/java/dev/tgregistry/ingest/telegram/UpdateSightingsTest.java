package dev.tgregistry.ingest.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgregistry.model.ContractViolation;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.UserSeen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpdateSightingsTest {
    private static final Instant RECEIVED = Instant.parse("2026-11-22T00:00:00Z");

    @ParameterizedTest(name = "{0} -> user {1}")
    @CsvSource({
            // fixture, user id, username, seen_at (epoch s; 0 = receive time), seen_via
            "message,                 95450323, serejaris,   1763634900, private_chat",
            "edited_message,          1002,     alex_smith,  1763634960, private_chat",
            "callback_query,          1003,     maria_jones, 0,          private_chat",
            "inline_query,            1004,     ali_reza,    0,          inline",
            "chosen_inline_result,    1005,     ,            0,          inline",
            "shipping_query,          1006,     olga_k,      0,          other",
            "pre_checkout_query,      1007,     ivan_p,      0,          other",
            "poll_answer,             1008,     nika,        0,          other",
            "my_chat_member_kicked,   1009,     pavel_d,     1763635000, private_chat",
            "chat_join_request,       1012,     omid_k,      1763635200, group",
            "message_reaction,        1013,     yuki_t,      1763635300, private_chat",
            "business_message,        1014,     dana_biz,    1763635400, business",
            "edited_business_message, 1015,     dana_biz2,   1763635460, business",
    })
    void takesTheUserOfEveryKind(String fixture, long userId, String username, long seenAt, String seenVia) throws IOException {
        List<UserSeen> sightings = UpdateSightings.of(fixture(fixture), "", RECEIVED);

        assertEquals(1, sightings.size());
        UserSeen seen = sightings.get(0);
        assertEquals(userId, seen.user().id());
        assertEquals(username, seen.user().username());
        assertEquals(seenAt == 0 ? RECEIVED : Instant.ofEpochSecond(seenAt), seen.seenAt());
        assertEquals(fixture.replace("_kicked", ""), seen.source().kind());
        assertEquals(seenVia, seen.seenVia());
        seen.validate();
    }

    /** Telegram retries a refused update forever, so what PostgreSQL cannot store is normalised, not refused. */
    @ParameterizedTest(name = "date {0}")
    @CsvSource({"253402300799", "1262304000", "4102444800", "0", "-5", "1.5"})
    void normalisesWhatTelegramSentInsteadOfRefusingIt(String date) throws IOException {
        String update = "{\"update_id\": 9, \"message\": {\"message_id\": 1, \"date\": " + date + ", \"chat\": {\"id\": 77, \"type\": \"private\"},"
                + " \"from\": {\"id\": 77, \"is_bot\": false, \"first_name\": \"A\\u0000B\\u0007C\\tD\", \"last_name\": \"\","
                + " \"username\": \"x\\ud800y\"}}}";
        UserSeen seen = UpdateSightings.of(new ObjectMapper().readTree(update), "", RECEIVED).get(0);

        assertEquals("ABC\tD", seen.user().firstName());
        assertNull(seen.user().lastName(), "an empty last name is an absent one");
        assertEquals("x\uFFFDy", seen.user().username());
        assertEquals(RECEIVED, seen.seenAt(), "a date in year 9999, before 2013, ahead of the clock, 0 or negative becomes the receive time");
        seen.validate();
    }

    @Test
    void aReceiveTimeStandingInForADateIsAWholeSecondLikeTelegramsDates() throws IOException {
        String update = "{\"update_id\": 9, \"message\": {\"message_id\": 1, \"date\": 253402300799,"
                + " \"chat\": {\"id\": 77, \"type\": \"private\"}, \"from\": {\"id\": 77, \"is_bot\": false, \"first_name\": \"A\"}}}";
        UserSeen seen = UpdateSightings.of(new ObjectMapper().readTree(update), "", RECEIVED.plusMillis(734)).get(0);
        assertEquals(RECEIVED, seen.seenAt(), "the user's real update dated in the same second must not look older");
    }

    @Test
    void cutsNamesLongerThanTheContractInsteadOfRefusingThem() throws IOException {
        String update = "{\"update_id\": 9, \"message\": {\"date\": 1763634900, \"from\": {\"id\": 78, \"first_name\": \""
                + "漢".repeat(300) + "\"}}}";
        UserSeen seen = UpdateSightings.of(new ObjectMapper().readTree(update), "", RECEIVED).get(0);

        assertEquals("漢".repeat(170), seen.user().firstName(), "at most 512 bytes in UTF-8: 170 three-byte characters");
        seen.validate();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            // fixture | user id:seen_via, in order
            "group_message_mentions | 2001:group 2002:mentioned 2003:mentioned",
            "new_chat_members       | 2010:group 2011:mentioned 2012:mentioned",
            "left_chat_member       | 2020:group 2021:mentioned",
            "forward_from_legacy    | 2030:private_chat 2031:mentioned",
            "chat_boost             | 2040:mentioned",
            "removed_chat_boost     | 2041:mentioned",
            "chat_member            | 1010:group 1011:mentioned",
            "anonymous_admin        | 2050:mentioned",
            "private_reply_to_self  | 2060:private_chat",
            "group_callback_query   | 2070:group",
            "inline_callback_query  | 2071:inline",
    })
    void recordsEveryUserInsideAnUpdateAndHowTheyWereSeen(String fixture, String expected) throws IOException {
        List<UserSeen> sightings = UpdateSightings.of(fixture(fixture), "", RECEIVED);

        String found = String.join(" ", sightings.stream().map(seen -> seen.user().id() + ":" + seen.seenVia()).toList());
        assertEquals(expected, found);
        sightings.forEach(UserSeen::validate);
    }

    @Test
    void onlyASightingInAPrivateChatShowsTheUserCanBeMessaged() throws IOException {
        assertTrue(UpdateSightings.of(fixture("message"), "", RECEIVED).get(0).inPrivateChat());
        assertTrue(UpdateSightings.of(fixture("my_chat_member_kicked"), "", RECEIVED).get(0).inPrivateChat());
        for (String notDirect : List.of("group_message_mentions", "new_chat_members", "chat_boost", "chat_join_request", "inline_query")) {
            assertTrue(UpdateSightings.of(fixture(notDirect), "", RECEIVED).stream().noneMatch(UserSeen::inPrivateChat), notDirect);
        }
    }

    @Test
    void telegramsPlaceholderSendersAreNotPeople() throws IOException {
        assertTrue(UpdateSightings.of(fixture("linked_channel_post"), "", RECEIVED).isEmpty(), "channel post forwarded into its discussion group");
        assertTrue(UpdateSightings.of(fixture("service_user_message"), "", RECEIVED).isEmpty(), "the Telegram service user 777000");
        List<UserSeen> anonymous = UpdateSightings.of(fixture("anonymous_admin"), "", RECEIVED);
        assertEquals(List.of(2050L), anonymous.stream().map(seen -> seen.user().id()).toList(), "not GroupAnonymousBot");
        assertTrue(UpdateSightings.of(fixture("new_chat_members"), "", RECEIVED).stream().noneMatch(seen -> seen.user().id() == 2013L),
                "a bot added to the group is not a person");
    }

    @Test
    void mentionedUsersKeepTheirSnapshotAndTheUpdatesTime() throws IOException {
        UserSeen author = UpdateSightings.of(fixture("group_message_mentions"), "", RECEIVED).get(1);
        assertEquals("Мария", author.user().firstName());
        assertEquals("masha_r", author.user().username());
        assertEquals(Instant.ofEpochSecond(1763640000), author.seenAt());
        assertEquals("message", author.source().kind());
        assertNull(author.chatMemberStatus());
        assertEquals(RECEIVED, UpdateSightings.of(fixture("chat_boost"), "", RECEIVED).get(0).seenAt(), "no date member: receive time");
    }

    @Test
    void aMalformedMentionedUserNamesItsField() throws IOException {
        JsonNode badMember = RecordJson.MAPPER.readTree("{\"update_id\": 9, \"message\": {\"message_id\": 1, \"date\": 1,"
                + " \"chat\": {\"id\": -5, \"type\": \"group\"}, \"from\": {\"id\": 5}, \"new_chat_members\": [{\"id\": 6}, {\"id\": \"x\"}]}}");
        assertEquals("message.new_chat_members[1].id",
                assertThrows(ContractViolation.class, () -> UpdateSightings.of(badMember, "", RECEIVED)).field());
    }

    @Test
    void messageKeepsTheWholeSnapshot() throws IOException {
        UserSeen seen = UpdateSightings.of(fixture("message"), "", RECEIVED).get(0);
        assertEquals("Сергей", seen.user().firstName());
        assertEquals("ru", seen.user().languageCode());
        assertEquals(Boolean.TRUE, seen.user().isPremium());
        assertEquals(1001L, seen.source().updateId());
        assertNull(seen.chatMemberStatus());
    }

    @Test
    void privateChatKickIsABlock() throws IOException {
        assertEquals(UserSeen.KICKED, UpdateSightings.of(fixture("my_chat_member_kicked"), "", RECEIVED).get(0).chatMemberStatus());
    }

    @Test
    void chatMemberYieldsTheAdminAndTheMember() throws IOException {
        List<UserSeen> sightings = UpdateSightings.of(fixture("chat_member"), "", RECEIVED);
        assertEquals(List.of(1010L, 1011L), sightings.stream().map(seen -> seen.user().id()).toList());
        assertTrue(sightings.stream().allMatch(seen -> seen.chatMemberStatus() == null), "not a private chat: no block status");
    }

    @Test
    void updatesWithoutUserYieldNothing() throws IOException {
        assertTrue(UpdateSightings.of(fixture("channel_post"), "", RECEIVED).isEmpty());
        assertTrue(UpdateSightings.of(fixture("poll"), "", RECEIVED).isEmpty());
    }

    @Test
    void malformedUpdatesNameTheField() throws IOException {
        JsonNode noUpdateId = RecordJson.MAPPER.readTree("{\"message\": {\"date\": 1, \"from\": {\"id\": 5}}}");
        assertEquals("update_id", assertThrows(ContractViolation.class, () -> UpdateSightings.of(noUpdateId, "", RECEIVED)).field());

        JsonNode textId = RecordJson.MAPPER.readTree("{\"update_id\": 1, \"message\": {\"date\": 1, \"from\": {\"id\": \"x\"}}}");
        assertEquals("[2].message.from.id", assertThrows(ContractViolation.class, () -> UpdateSightings.of(textId, "[2].", RECEIVED)).field());
    }

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream json = UpdateSightingsTest.class.getResourceAsStream("/updates/" + name + ".json")) {
            return RecordJson.MAPPER.readTree(json);
        }
    }
}
