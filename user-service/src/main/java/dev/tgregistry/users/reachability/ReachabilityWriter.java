package dev.tgregistry.users.reachability;

import dev.tgregistry.users.db.SightingTimes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.tgregistry.users.reachability.ReachabilitySql.reopenedBy;
import static dev.tgregistry.users.reachability.ReachabilitySql.settledAt;

/**
 * Applies send results to {@code users}, set-based, for both sources: the 403s bots report as events and the
 * results the dashboard posts. Only existing rows change (a send result never creates a user, so an erased one
 * stays erased), and a result dated at or before the user's erasure is ignored. Rules: docs/DESIGN.md "Reachability".
 */
@ApplicationScoped
public class ReachabilityWriter {
    /** One user id of a batch: whether the registry holds the user and whether the result changed the row. */
    public record Applied(long userId, boolean known, boolean changed) {
    }

    static final String APPLY = """
            WITH s AS (
                SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS s(user_id, outcome, at)
            ), locked AS (
                SELECT u.user_id FROM users u JOIN s ON s.user_id = u.user_id ORDER BY u.user_id FOR NO KEY UPDATE OF u
            ), changed AS (
                UPDATE users u SET
                    is_active = CASE WHEN s.outcome IN ('blocked', 'deactivated') THEN false
                                     WHEN s.outcome IN ('ok', 'cant_initiate') THEN true ELSE u.is_active END,
                    active_changed_at = CASE WHEN s.outcome IN ('blocked', 'deactivated') THEN s.at
                                             WHEN s.outcome IN ('ok', 'cant_initiate') AND u.is_active IS FALSE THEN s.at
                                             ELSE u.active_changed_at END,
                    unreachable_reason = NULLIF(s.outcome, 'ok'),
                    unreachable_at = CASE WHEN s.outcome = 'ok' THEN NULL ELSE s.at END,
                    private_chat_since = CASE s.outcome WHEN 'cant_initiate' THEN NULL
                                                        WHEN 'ok' THEN LEAST(u.private_chat_since, s.at)
                                                        ELSE u.private_chat_since END,
                    private_chat_seen_at = CASE WHEN s.outcome = 'ok' THEN GREATEST(u.private_chat_seen_at, s.at)
                                                ELSE u.private_chat_seen_at END,
                    updated_at = now()
                FROM s
                WHERE u.user_id = s.user_id AND u.user_id IN (SELECT user_id FROM locked)
                  AND NOT EXISTS (SELECT 1 FROM erased_users e WHERE e.user_id = u.user_id AND e.erased_at >= s.at)
                  AND CASE s.outcome
                        WHEN 'ok' THEN s.at > COALESCE(GREATEST(u.active_changed_at, u.unreachable_at), '-infinity')
                                       AND (%2$s OR u.private_chat_since IS NULL
                                            OR s.at >= COALESCE(u.private_chat_seen_at, '-infinity') + %3$s)
                        WHEN 'other' THEN s.at > COALESCE(u.unreachable_at, '-infinity') AND u.is_active IS NOT FALSE
                                          AND COALESCE(u.unreachable_reason, 'other') = 'other'
                        ELSE s.at > GREATEST(%1$s, COALESCE(u.private_chat_seen_at, '-infinity'))
                      END
                RETURNING u.user_id
            )
            SELECT s.user_id, s.user_id IN (SELECT user_id FROM locked) AS known,
                   s.user_id IN (SELECT user_id FROM changed) AS changed
            FROM s ORDER BY s.user_id
            """.formatted(settledAt("u"), "(u.is_active IS FALSE OR u.unreachable_reason IS NOT NULL)", SightingTimes.STEP);

    /**
     * Applies {@code results} on {@code client} (a connection in the caller's transaction, or the pool). Of several
     * results for one user the newest counts; an {@code other} failure only when the batch has nothing else for that
     * user (it says nothing about the private chat).
     */
    public Uni<List<Applied>> apply(SqlClient client, Collection<SendResult> results) {
        Map<Long, SendResult> newest = new TreeMap<>(); // by user id: one lock order for concurrent batches
        for (SendResult result : results) {
            newest.merge(result.userId(), result, ReachabilityWriter::newer);
        }
        if (newest.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Collection<SendResult> rows = newest.values();
        Tuple columns = Tuple.of(rows.stream().map(SendResult::userId).toArray(Long[]::new),
                rows.stream().map(row -> row.outcome().code()).toArray(String[]::new),
                rows.stream().map(row -> utc(row.at())).toArray(OffsetDateTime[]::new));
        return client.preparedQuery(APPLY).execute(columns).map(found -> {
            List<Applied> applied = new ArrayList<>(found.size());
            found.forEach(row -> applied.add(new Applied(row.getLong("user_id"), row.getBoolean("known"), row.getBoolean("changed"))));
            return applied;
        });
    }

    private static SendResult newer(SendResult kept, SendResult next) {
        boolean keptOther = kept.outcome() == SendOutcome.OTHER;
        boolean nextOther = next.outcome() == SendOutcome.OTHER;
        if (keptOther != nextOther) {
            return keptOther ? next : kept;
        }
        return next.at().isBefore(kept.at()) ? kept : next;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
