package dev.tgregistry.users.consumer;

import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.UserSeen;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A batch coalesces to one row per user (in user-id order) the way the upsert applies sightings to the table. */
class UserSnapshotsTest {
    private static final Instant T1 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant T2 = T1.plusSeconds(60);
    private static final Instant T3 = T2.plusSeconds(60);

    private static UserSeen seen(long id, String username, String first, String language, Instant at, String status,
                                 String via) {
        return UserSeen.of(new TelegramUser(id, false, username, first, null, language, null), at,
                new UserSeen.Source(null, "test"), status, via);
    }

    private static UserSnapshots.Row only(UserSnapshots snapshots) {
        assertEquals(1, snapshots.rows().size());
        return snapshots.rows().iterator().next();
    }

    @Test
    void theNewestSnapshotWinsWhateverTheOrderInTheBatch() {
        UserSnapshots.Row row = only(UserSnapshots.of(List.of(
                seen(7, "new_name", "New", null, T3, null, UserSeen.VIA_GROUP),
                seen(7, "old_name", "Old", "de", T1, null, UserSeen.VIA_GROUP),
                seen(7, "mid_name", "Mid", null, T2, null, UserSeen.VIA_GROUP))));
        assertEquals("new_name", row.identity.username());
        assertEquals(T3, row.snapshotAt);
        assertEquals(T1, row.firstSeenAt);
        assertEquals(T3, row.lastSeenAt);
        // only the oldest sighting said a language: a sighting without one says nothing about it
        assertEquals("de", row.languageCode);
        assertEquals(T1, row.languageAt);
    }

    @Test
    void activeFollowsTheNewestMemberStatusOnly() {
        UserSnapshots.Row blocked = only(UserSnapshots.of(List.of(
                seen(7, "a", null, null, T1, UserSeen.MEMBER, null),
                seen(7, "a", null, null, T2, UserSeen.KICKED, null),
                seen(7, "a", null, null, T3, null, null))));
        assertFalse(blocked.active);
        assertEquals(T2, blocked.activeChangedAt);

        UserSnapshots.Row unsaid = only(UserSnapshots.of(List.of(seen(7, "a", null, null, T1, null, null))));
        assertTrue(unsaid.active);
        assertNull(unsaid.activeChangedAt);
    }

    @Test
    void theEarliestPrivateChatSightingIsKept() {
        UserSnapshots.Row row = only(UserSnapshots.of(List.of(
                seen(7, "a", null, null, T3, null, UserSeen.VIA_PRIVATE_CHAT),
                seen(7, "a", null, null, T1, null, UserSeen.VIA_GROUP),
                seen(7, "a", null, null, T2, null, UserSeen.VIA_PRIVATE_CHAT))));
        assertEquals(T2, row.privateChatAt);
        assertNull(only(UserSnapshots.of(List.of(seen(7, "a", null, null, T1, null, UserSeen.VIA_GROUP)))).privateChatAt);
    }

    @Test
    void rowsComeInUserIdOrder() {
        UserSnapshots snapshots = UserSnapshots.of(List.of(
                seen(30, "c", null, null, T1, null, null), seen(10, "a", null, null, T1, null, null),
                seen(20, "b", null, null, T1, null, null), seen(10, "a", null, null, T2, null, null)));
        assertEquals(List.of(10L, 20L, 30L), snapshots.rows().stream().map(row -> row.userId).toList());
    }

    @Test
    void eachNameCombinationOnceWithItsFirstAndLastSighting() {
        UserSnapshots snapshots = UserSnapshots.of(List.of(
                seen(7, "anna", "Anna", null, T2, null, null),
                seen(7, "anna_k", "Anna", null, T3, null, null),
                seen(7, "anna", "Anna", null, T1, null, null),
                seen(7, "", "Anna", null, T1, null, null)));
        List<UserSnapshots.Name> names = List.copyOf(snapshots.names());
        assertEquals(3, names.size());
        assertEquals(new UserSnapshots.Name(7, "anna", "Anna", null, T1, T2), names.get(0));
        assertEquals(new UserSnapshots.Name(7, "anna_k", "Anna", null, T3, T3), names.get(1));
        // "" and absent are one name, as in the history's unique index
        assertEquals(1, UserSnapshots.of(List.of(seen(7, null, "Anna", null, T1, null, null),
                seen(7, "", "Anna", null, T2, null, null))).names().size());
    }
}
