-- What a new user costs PostgreSQL (docs/DESIGN.md "What a new user costs"):
--   1. A user's current name lives in users alone, with its first sighting (name_since); user_name_history keeps
--      the names that stopped being current. A name becomes former when an UPDATE replaces it: the trigger below
--      writes it then, because only the locked row knows the old value (RETURNING has no OLD before PostgreSQL 18).
--      A sighting that arrives late with a name other than the current one is written by the sightings writer.
--   2. search_text is computed by the writer's own statement (registry.names_search_text, the one definition);
--      the insert trigger only fills it for a writer that leaves it NULL (and after the erasure guard cleared names).
--   3. The erasure guard as a set-based check: the sightings writer takes the erasure lock once per transaction and
--      looks its whole batch up in erased_users (registry.check_erasures); when nobody in it was erased, the per-row
--      guards of users and user_name_history are skipped for the rest of that transaction (their WHEN reads the
--      transaction-local setting registry.erasure_checked). Any other writer still goes through the per-row guard.
--   4. Existing data: name_since from the history row of the current name, which then goes; in chunks of users
--      with a COMMIT each (no long lock on users), idempotent: CALL registry.move_current_names();

ALTER TABLE registry.users ADD COLUMN IF NOT EXISTS name_since TIMESTAMPTZ;

CREATE OR REPLACE FUNCTION registry.names_search_text(username text, first_name text, last_name text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN registry.search_fold(COALESCE(username, '') || E'\n' || COALESCE(first_name, '') || ' '
                                || COALESCE(last_name, '') || E'\x1F' || COALESCE(last_name, ''));

CREATE OR REPLACE FUNCTION registry.set_search_text() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_text := registry.names_search_text(NEW.username, NEW.first_name, NEW.last_name);
    RETURN NEW;
END
$$;

-- The replaced name of a Telegram snapshot (names copied from a bot's records were never history) joins the history
-- with its span: from its first sighting to the last snapshot that carried it.
CREATE OR REPLACE FUNCTION registry.keep_former_name() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO registry.user_name_history AS h (user_id, username, first_name, last_name, first_seen_at, last_seen_at)
    VALUES (OLD.user_id, OLD.username, OLD.first_name, OLD.last_name, COALESCE(OLD.name_since, OLD.first_seen_at),
            GREATEST(OLD.snapshot_at, COALESCE(OLD.name_since, OLD.first_seen_at)))
    ON CONFLICT (user_id, (COALESCE(username, '')), (COALESCE(first_name, '')), (COALESCE(last_name, '')))
    DO UPDATE SET first_seen_at = LEAST(h.first_seen_at, excluded.first_seen_at),
                  last_seen_at = GREATEST(h.last_seen_at, excluded.last_seen_at);
    RETURN NULL;
END
$$;

-- V13's guard, and: the current name's start goes with the name; names cleared → search_text computed again (the
-- writer computed it from the names this guard removes).
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
        NEW.is_bot := NULL; NEW.is_premium := NULL; NEW.snapshot_at := NULL; NEW.name_since := NULL;
    END IF;
    IF NEW.copied_names_at <= erased THEN
        NEW.copied_names_at := NULL;
        IF NEW.snapshot_at IS NULL THEN
            NEW.username := NULL; NEW.first_name := NULL; NEW.last_name := NULL;
        END IF;
    END IF;
    IF NEW.name_since <= erased THEN
        NEW.name_since := NEW.snapshot_at;
    END IF;
    NEW.search_text := NULL;
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

-- Takes the erasure lock shared (an erasure takes it exclusively, so none can commit while this transaction runs)
-- and says whether any of the ids was erased; when none was, the per-row guards skip the rest of this transaction.
CREATE OR REPLACE FUNCTION registry.check_erasures(ids bigint[]) RETURNS boolean
    LANGUAGE plpgsql AS $$
DECLARE
    none_erased boolean;
BEGIN
    PERFORM pg_advisory_xact_lock_shared(20250, 2);
    none_erased := NOT EXISTS (SELECT 1 FROM registry.erased_users WHERE user_id = ANY(ids));
    PERFORM set_config('registry.erasure_checked', CASE WHEN none_erased THEN 'on' ELSE 'off' END, true);
    RETURN none_erased;
END
$$;

-- The triggers, in one short transaction under users' lock (each attempt waits at most a second, then lets the
-- queued statements through). BEFORE triggers fire in name order: the guard (users_erased_guard) before
-- users_search_text, so a name the guard cleared is never searchable.
DO $$
BEGIN
    FOR attempt IN 1..600 LOOP
        BEGIN
            PERFORM set_config('lock_timeout', '1s', true);
            LOCK TABLE registry.users, registry.user_name_history IN SHARE ROW EXCLUSIVE MODE;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            PERFORM pg_sleep(0.2);
        END;
    END LOOP;
    DROP TRIGGER IF EXISTS users_search_text ON registry.users;
    CREATE TRIGGER users_search_text BEFORE INSERT ON registry.users
        FOR EACH ROW WHEN (NEW.search_text IS NULL) EXECUTE FUNCTION registry.set_search_text();
    DROP TRIGGER IF EXISTS users_erased_guard ON registry.users;
    CREATE TRIGGER users_erased_guard BEFORE INSERT ON registry.users
        FOR EACH ROW WHEN (current_setting('registry.erasure_checked', true) IS DISTINCT FROM 'on')
        EXECUTE FUNCTION registry_users_after_erasure();
    DROP TRIGGER IF EXISTS user_name_history_erased_guard ON registry.user_name_history;
    CREATE TRIGGER user_name_history_erased_guard BEFORE INSERT ON registry.user_name_history
        FOR EACH ROW WHEN (current_setting('registry.erasure_checked', true) IS DISTINCT FROM 'on')
        EXECUTE FUNCTION registry_names_after_erasure();
    DROP TRIGGER IF EXISTS users_former_name ON registry.users;
    CREATE TRIGGER users_former_name AFTER UPDATE OF username, first_name, last_name ON registry.users
        FOR EACH ROW WHEN (OLD.snapshot_at IS NOT NULL
                           AND (OLD.username, OLD.first_name, OLD.last_name)
                               IS DISTINCT FROM (NEW.username, NEW.first_name, NEW.last_name))
        EXECUTE FUNCTION registry.keep_former_name();
END
$$;

-- 4. Existing data. A user whose current name came from a Telegram snapshot gets name_since from the history row of
-- that name (the earlier, when the writer set one already), and the row goes; a user without such a row keeps
-- name_since NULL (readers fall back to first_seen_at). Running it again moves only rows written since.
CREATE OR REPLACE PROCEDURE registry.move_current_names(chunk_users INT DEFAULT 20000)
LANGUAGE plpgsql AS $pr$
DECLARE
    lo BIGINT := -1;
    hi BIGINT;
    moved BIGINT := 0;
    n BIGINT;
    started TIMESTAMPTZ := clock_timestamp();
BEGIN
    LOOP
        SELECT user_id INTO hi FROM registry.users WHERE user_id > lo ORDER BY user_id OFFSET chunk_users - 1 LIMIT 1;
        IF hi IS NULL THEN
            SELECT max(user_id) INTO hi FROM registry.users;
        END IF;
        EXIT WHEN hi IS NULL OR hi <= lo;
        UPDATE registry.users u SET name_since = h.first_seen_at
          FROM registry.user_name_history h
         WHERE u.user_id > lo AND u.user_id <= hi AND u.snapshot_at IS NOT NULL
           AND (u.name_since IS NULL OR h.first_seen_at < u.name_since)
           AND h.user_id = u.user_id AND COALESCE(h.username, '') = COALESCE(u.username, '')
           AND COALESCE(h.first_name, '') = COALESCE(u.first_name, '') AND COALESCE(h.last_name, '') = COALESCE(u.last_name, '');
        DELETE FROM registry.user_name_history h
         USING registry.users u
         WHERE h.user_id > lo AND h.user_id <= hi AND u.user_id = h.user_id AND u.snapshot_at IS NOT NULL
           AND u.name_since IS NOT NULL
           AND COALESCE(h.username, '') = COALESCE(u.username, '')
           AND COALESCE(h.first_name, '') = COALESCE(u.first_name, '') AND COALESCE(h.last_name, '') = COALESCE(u.last_name, '');
        GET DIAGNOSTICS n = ROW_COUNT;
        moved := moved + n;
        COMMIT;
        lo := hi;
    END LOOP;
    RAISE NOTICE 'V16: % current names moved from user_name_history to users in % s', moved,
        round(extract(epoch FROM clock_timestamp() - started)::numeric, 1);
END
$pr$;

CALL registry.move_current_names();
