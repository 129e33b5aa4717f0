-- Why a user cannot be messaged, and since when (docs/DESIGN.md "Reachability"):
--   unreachable_reason: the class of the newest send failure not overtaken by later evidence (blocked,
--     deactivated, cant_initiate, other); NULL when none. A user marked inactive before this column existed (or by
--     Telegram's my_chat_member notice in an older build) has is_active false and no reason: read as blocked.
--   unreachable_at: the time of that failure.
--   private_chat_seen_at: the newest sighting of the user acting in their private chat with the bot (to the minute,
--     as every sighting time), so that a late failure can be compared with it; NULL: none since this column exists.
-- Nullable, no defaults: adding them rewrites nothing, existing rows read NULL.
ALTER TABLE users ADD COLUMN IF NOT EXISTS unreachable_reason TEXT;
ALTER TABLE users ADD COLUMN IF NOT EXISTS unreachable_at TIMESTAMPTZ;
ALTER TABLE users ADD COLUMN IF NOT EXISTS private_chat_seen_at TIMESTAMPTZ;
-- NOT VALID: every existing row is NULL, so there is nothing to scan; new rows are checked.
ALTER TABLE users ADD CONSTRAINT users_unreachable_reason_check
    CHECK (unreachable_reason IN ('blocked', 'deactivated', 'cant_initiate', 'other')) NOT VALID;

-- GET /api/stats counts users per reason from the same trigger-kept row as totalUsers/blockedUsers (V8), so the
-- stats never count users. The classes partition the users that have one:
--   blocked (already counted: is_active false) minus deactivated; deactivated: is_active false and reason
--   deactivated; cant_initiate / other: still active (not blocked) and that reason.
-- All zero now: no row has a reason yet (and the ALTERs above hold the table's exclusive lock until commit).
ALTER TABLE user_counts ADD COLUMN deactivated   BIGINT NOT NULL DEFAULT 0;
ALTER TABLE user_counts ADD COLUMN cant_initiate BIGINT NOT NULL DEFAULT 0;
ALTER TABLE user_counts ADD COLUMN other_failure BIGINT NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION registry_count_users() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    total_delta       bigint := 0;
    blocked_delta     bigint := 0;
    deactivated_delta bigint := 0;
    cant_delta        bigint := 0;
    other_delta       bigint := 0;
    r                 record;
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
        UPDATE user_counts SET total = total + total_delta, blocked = blocked + blocked_delta,
                               deactivated = deactivated + deactivated_delta, cant_initiate = cant_initiate + cant_delta,
                               other_failure = other_failure + other_delta;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION registry_users_truncated() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE user_counts SET total = 0, blocked = 0, deactivated = 0, cant_initiate = 0, other_failure = 0;
    RETURN NULL;
END $$;

-- The erasure guard (V11) also keeps the new times of a record dated at or before the erasure out, and the private
-- chat that record proved.
CREATE OR REPLACE FUNCTION registry_users_after_erasure() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    erased timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock_shared(20250, 2);
    SELECT erased_at INTO erased FROM erased_users WHERE user_id = NEW.user_id;
    IF erased IS NULL THEN
        RETURN NEW;
    END IF;
    IF NEW.last_seen_at <= erased THEN
        RETURN NULL;
    END IF;
    -- a batch mixing sightings from before and after the erasure keeps only what is dated after it
    IF NEW.snapshot_at <= erased THEN
        NEW.username := NULL; NEW.first_name := NULL; NEW.last_name := NULL;
        NEW.is_bot := NULL; NEW.is_premium := NULL; NEW.snapshot_at := NULL;
    END IF;
    IF NEW.copied_names_at <= erased THEN
        NEW.copied_names_at := NULL;
        IF NEW.snapshot_at IS NULL THEN
            NEW.username := NULL; NEW.first_name := NULL; NEW.last_name := NULL;
        END IF;
    END IF;
    IF NEW.language_at <= erased THEN
        NEW.language_code := NULL; NEW.language_at := NULL;
    END IF;
    IF NEW.active_changed_at <= erased THEN
        NEW.is_active := true; NEW.active_changed_at := NULL;
    END IF;
    IF NEW.unreachable_at <= erased THEN
        NEW.unreachable_reason := NULL; NEW.unreachable_at := NULL;
    END IF;
    IF NEW.private_chat_seen_at <= erased THEN
        NEW.private_chat_seen_at := NULL;
    END IF;
    IF NEW.private_chat_since <= erased THEN
        NEW.private_chat_since := NEW.private_chat_seen_at;
    END IF;
    IF NEW.first_seen_at <= erased THEN
        -- the earliest time of this row known to be after the erasure (LEAST ignores NULLs)
        NEW.first_seen_at := LEAST(NEW.snapshot_at, NEW.copied_names_at, NEW.language_at, NEW.active_changed_at,
                                   NEW.last_seen_at);
    END IF;
    RETURN NEW;
END
$$;
