-- GET /api/stats' usersSeenToday from a quarter-hour histogram of users.last_seen_at instead of a range of
-- users_recent_idx (whose cost grew with the users seen today, and whose newest end every sighting churns): each user
-- is counted in the quarter of their current last_seen_at, so the users seen in a day are the sum of its quarters
-- (plus, in a zone whose offset is no whole number of quarters, the cut quarters at its two ends from the index).
--
-- Kept by the statement-level triggers that already keep user_counts (V8, V13): an UPDATE already hands them every
-- updated row as transition tables, so the histogram adds one pass over them and, only when some last_seen_at moved
-- to another quarter, one upsert of the touched quarters, in quarter order (two concurrent statements lock them in
-- the same order, so they cannot deadlock over them). Every batch of returning users moves some of them into the
-- current quarter and holds that row until it commits; so that concurrent writers (sightings of several instances,
-- events' touches) do not queue on it, each quarter has 8 rows, a writer's slot being its backend's pid modulo 8;
-- readers sum them. docs/DESIGN.md "Admin counts" has the figures.
-- The quarter is date_bin's (the same buckets as registry_quarter, V10): registry_quarter is a SQL function whose
-- body is only stable, so it is never inlined, and calling it for every old and new row cost 25-45 µs per updated row.
CREATE TABLE IF NOT EXISTS rollup_seen_user_quarters (
    bucket timestamptz NOT NULL,
    slot   smallint    NOT NULL,
    users  bigint      NOT NULL,
    PRIMARY KEY (bucket, slot)
);

-- no writer may slip in between the count below and the triggers (a bot still writing users itself)
LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE;

CREATE OR REPLACE FUNCTION registry_count_users() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    total_delta       bigint := 0;
    blocked_delta     bigint := 0;
    deactivated_delta bigint := 0;
    cant_delta        bigint := 0;
    other_delta       bigint := 0;
    r                 record;
    writer_slot       smallint := pg_backend_pid() % 8;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT count(*) AS total, count(*) FILTER (WHERE is_active IS FALSE) AS blocked,
               count(*) FILTER (WHERE is_active IS FALSE AND unreachable_reason = 'deactivated') AS deactivated,
               count(*) FILTER (WHERE is_active IS NOT FALSE AND unreachable_reason = 'cant_initiate') AS cant,
               count(*) FILTER (WHERE is_active IS NOT FALSE AND unreachable_reason = 'other') AS other
          INTO r FROM new_rows;
        total_delta := total_delta + r.total;
        blocked_delta := blocked_delta + r.blocked;
        deactivated_delta := deactivated_delta + r.deactivated;
        cant_delta := cant_delta + r.cant;
        other_delta := other_delta + r.other;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT count(*) AS total, count(*) FILTER (WHERE is_active IS FALSE) AS blocked,
               count(*) FILTER (WHERE is_active IS FALSE AND unreachable_reason = 'deactivated') AS deactivated,
               count(*) FILTER (WHERE is_active IS NOT FALSE AND unreachable_reason = 'cant_initiate') AS cant,
               count(*) FILTER (WHERE is_active IS NOT FALSE AND unreachable_reason = 'other') AS other
          INTO r FROM old_rows;
        total_delta := total_delta - r.total;
        blocked_delta := blocked_delta - r.blocked;
        deactivated_delta := deactivated_delta - r.deactivated;
        cant_delta := cant_delta - r.cant;
        other_delta := other_delta - r.other;
    END IF;
    IF total_delta <> 0 OR blocked_delta <> 0 OR deactivated_delta <> 0 OR cant_delta <> 0 OR other_delta <> 0 THEN
        UPDATE registry.user_counts SET total = total + total_delta, blocked = blocked + blocked_delta,
                               deactivated = deactivated + deactivated_delta, cant_initiate = cant_initiate + cant_delta,
                               other_failure = other_failure + other_delta;
    END IF;

    IF TG_OP = 'INSERT' THEN
        INSERT INTO registry.rollup_seen_user_quarters AS q (bucket, slot, users)
        SELECT date_bin('15 minutes', last_seen_at, timestamptz 'epoch'), writer_slot, count(*) FROM new_rows
         WHERE isfinite(last_seen_at)
         GROUP BY 1 ORDER BY 1
        ON CONFLICT (bucket, slot) DO UPDATE SET users = q.users + excluded.users;
    ELSIF TG_OP = 'UPDATE' THEN
        -- a sighting that keeps the user in the same quarter (most of them) nets to zero and locks nothing
        INSERT INTO registry.rollup_seen_user_quarters AS q (bucket, slot, users)
        SELECT bucket, writer_slot, sum(n) FROM (SELECT date_bin('15 minutes', last_seen_at, timestamptz 'epoch') AS bucket, 1 AS n FROM new_rows
                                    UNION ALL
                                    SELECT date_bin('15 minutes', last_seen_at, timestamptz 'epoch'), -1 FROM old_rows) moved
         WHERE isfinite(bucket)
         GROUP BY bucket HAVING sum(n) <> 0 ORDER BY bucket
        ON CONFLICT (bucket, slot) DO UPDATE SET users = q.users + excluded.users;
    ELSE
        INSERT INTO registry.rollup_seen_user_quarters AS q (bucket, slot, users)
        SELECT date_bin('15 minutes', last_seen_at, timestamptz 'epoch'), writer_slot, -count(*) FROM old_rows
         WHERE isfinite(last_seen_at)
         GROUP BY 1 ORDER BY 1
        ON CONFLICT (bucket, slot) DO UPDATE SET users = q.users + excluded.users;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION registry_users_truncated() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE registry.user_counts SET total = 0, blocked = 0, deactivated = 0, cant_initiate = 0, other_failure = 0;
    DELETE FROM registry.rollup_seen_user_quarters;
    RETURN NULL;
END $$;

-- Idempotent: a re-run counts again from the table.
DELETE FROM rollup_seen_user_quarters;
INSERT INTO rollup_seen_user_quarters (bucket, slot, users)
SELECT date_bin('15 minutes', last_seen_at, timestamptz 'epoch'), 0, count(*) FROM users WHERE isfinite(last_seen_at) GROUP BY 1;
