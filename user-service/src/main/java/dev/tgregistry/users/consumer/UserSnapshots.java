package dev.tgregistry.users.consumer;

import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.UserSeen;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Coalesces a batch of sightings to one row per user, applying the identity rules within the batch the same way
 * the upsert applies them against the table: the newest snapshot wins each field group, first/last seen widen.
 */
public final class UserSnapshots {

    /** One user's merged state from a batch; null times mean "this batch says nothing about that group". */
    public static final class Row {
        final long userId;
        TelegramUser identity;
        Instant snapshotAt;
        /** The earliest sighting in the batch with the names of {@link #identity} (the current name's start, when new). */
        Instant nameSince;
        String languageCode;
        Instant languageAt;
        boolean active = true;
        Instant activeChangedAt;
        Instant firstSeenAt;
        Instant lastSeenAt;
        /** The earliest sighting in the user's private chat with the bot, if the batch has one. */
        Instant privateChatAt;
        /** The newest sighting of the user acting in that chat, other than blocking the bot. */
        Instant reachedAt;

        Row(long userId) {
            this.userId = userId;
        }
    }

    /** A name combination a user was seen with, and its earliest and latest sighting in the batch. */
    public record Name(long userId, String username, String firstName, String lastName, Instant firstSeenAt,
                       Instant lastSeenAt) {
    }

    // sorted by user id: concurrent batches lock users rows in one order, so they cannot deadlock
    private final Map<Long, Row> rows = new TreeMap<>();
    private final Map<List<Object>, Name> names = new LinkedHashMap<>();

    public static UserSnapshots of(Collection<UserSeen> sightings) {
        UserSnapshots snapshots = new UserSnapshots();
        sightings.forEach(snapshots::add);
        return snapshots;
    }

    private void add(UserSeen seen) {
        TelegramUser user = seen.user();
        Instant at = seen.seenAt();
        Row row = rows.computeIfAbsent(user.id(), Row::new);
        if (row.snapshotAt == null || !at.isBefore(row.snapshotAt)) {
            row.identity = user;
            row.snapshotAt = at;
        }
        if (user.languageCode() != null && (row.languageAt == null || !at.isBefore(row.languageAt))) {
            row.languageCode = user.languageCode();
            row.languageAt = at;
        }
        if (seen.chatMemberStatus() != null && (row.activeChangedAt == null || !at.isBefore(row.activeChangedAt))) {
            row.active = UserSeen.MEMBER.equals(seen.chatMemberStatus());
            row.activeChangedAt = at;
        }
        row.firstSeenAt = row.firstSeenAt == null || at.isBefore(row.firstSeenAt) ? at : row.firstSeenAt;
        row.lastSeenAt = row.lastSeenAt == null || at.isAfter(row.lastSeenAt) ? at : row.lastSeenAt;
        if (seen.inPrivateChat() && (row.privateChatAt == null || at.isBefore(row.privateChatAt))) {
            row.privateChatAt = at;
        }
        if (seen.inPrivateChat() && !UserSeen.KICKED.equals(seen.chatMemberStatus())
                && (row.reachedAt == null || at.isAfter(row.reachedAt))) {
            row.reachedAt = at;
        }
        // the user acted in the chat after blocking the bot in this batch: the block is over (see UserWriter)
        if (!row.active && row.reachedAt != null && row.reachedAt.isAfter(row.activeChangedAt)) {
            row.active = true;
            row.activeChangedAt = null;
        }

        // the key the history's unique index uses: COALESCE(name, ''), so "" and absent are one name
        List<Object> nameKey = nameKey(user);
        Name known = names.get(nameKey);
        Instant first = known == null || at.isBefore(known.firstSeenAt()) ? at : known.firstSeenAt();
        Instant last = known == null || at.isAfter(known.lastSeenAt()) ? at : known.lastSeenAt();
        names.put(nameKey, new Name(user.id(), user.username(), user.firstName(), user.lastName(), first, last));
        row.nameSince = names.get(nameKey(row.identity)).firstSeenAt();
    }

    private static List<Object> nameKey(TelegramUser user) {
        return List.of(user.id(), orEmpty(user.username()), orEmpty(user.firstName()), orEmpty(user.lastName()));
    }

    private static String orEmpty(String name) {
        return name == null ? "" : name;
    }

    public Collection<Row> rows() {
        return rows.values();
    }

    public Collection<Name> names() {
        return names.values();
    }
}
