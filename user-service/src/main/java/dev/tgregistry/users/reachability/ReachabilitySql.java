package dev.tgregistry.users.reachability;

/**
 * The reachability rules as SQL over a {@code users} row aliased {@code t}, shared by every writer (sightings,
 * send results) and reader (validate, audiences), so that all of them mean the same thing. docs/DESIGN.md
 * "Reachability" has the rules in words.
 */
public final class ReachabilitySql {
    private ReachabilitySql() {
    }

    /** {@code is_active} as served: an adopted table may hold NULL, which reads as active. */
    public static String isActive(String t) {
        return "(%s.is_active IS NOT FALSE)".formatted(t);
    }

    /** {@code reachable_by_dm} as served: a private chat is known and the user has not blocked the bot since. */
    public static String reachableByDm(String t) {
        return "(%1$s.private_chat_since IS NOT NULL AND %1$s.is_active IS NOT FALSE)".formatted(t);
    }

    /**
     * The time of the newest evidence that set the user's reachability: a status change (block, unblock, a failure
     * that changed {@code is_active}) or a failure about the private chat. Evidence dated before it changes nothing.
     * An {@code other} failure concerns some other chat, so its time orders only other failures.
     */
    public static String settledAt(String t) {
        return "COALESCE(GREATEST(%1$s.active_changed_at, CASE WHEN %1$s.unreachable_reason <> 'other' THEN %1$s.unreachable_at END),"
                .formatted(t) + " '-infinity')";
    }

    /**
     * Whether a private-chat sighting (or delivered message) at {@code at} makes user {@code t} reachable again:
     * the user is blocked or has a failure on record, it is not a deactivation (a deleted account stays deleted;
     * only Telegram's own unblock notice or a delivered message clears it), and the sighting is newer than both.
     */
    public static String reopenedBy(String t, String at) {
        return ("(%2$s > COALESCE(GREATEST(%1$s.active_changed_at, %1$s.unreachable_at), '-infinity')"
                + " AND (%1$s.is_active IS FALSE OR %1$s.unreachable_reason IS NOT NULL)"
                + " AND %1$s.unreachable_reason IS DISTINCT FROM 'deactivated')").formatted(t, at);
    }

    /**
     * What sending to the user would meet, most decisive first ({@link RecipientStatus}): a deactivated account, a
     * block (a user inactive without a recorded reason was blocked before reasons were kept, or by Telegram's notice),
     * no private chat, else ok.
     */
    public static String recipientStatus(String t) {
        return ("CASE WHEN %1$s.is_active IS FALSE AND %1$s.unreachable_reason = 'deactivated' THEN 'deactivated'"
                + " WHEN %1$s.is_active IS FALSE THEN 'blocked'"
                + " WHEN %1$s.private_chat_since IS NULL THEN 'not_reachable_by_dm' ELSE 'ok' END").formatted(t);
    }

    /** {@code unreachable_reason} as served: a block without a recorded reason reads as {@code blocked}. */
    public static String unreachableReason(String t) {
        return "CASE WHEN %1$s.is_active IS FALSE THEN COALESCE(%1$s.unreachable_reason, 'blocked') ELSE %1$s.unreachable_reason END"
                .formatted(t);
    }

    /** {@code unreachable_at} as served: for a block without a recorded time, when it was learnt (may be null). */
    public static String unreachableAt(String t) {
        return "CASE WHEN %1$s.is_active IS FALSE THEN COALESCE(%1$s.unreachable_at, %1$s.active_changed_at) ELSE %1$s.unreachable_at END"
                .formatted(t);
    }
}
