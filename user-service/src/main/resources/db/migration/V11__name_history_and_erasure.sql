-- Identity over time and the right to be forgotten:
--   1. user_name_history gets last_seen_at (a name's last sighting) and a search_text like users' (migration V5),
--      with prefix indexes, so search can find users by a former name;
--   2. erased_users (the tombstone of an erasure) and audit_log (who erased or exported whom, when);
--   3. triggers that keep an erased person's records out: anything dated at or before the erasure is dropped
--      (users, events, name history) or stored without what identifies the person (bookings, registrations),
--      whichever writer sends it (a Kafka replay, a redelivery, a late arrival, the bot writing its own tables);
--   4. the adoption backfill of name history from bookings, registrations and events.details (renames from before
--      the registry), idempotent: CALL registry_backfill_name_history();

-- 1. name history ------------------------------------------------------------------------------------------------
ALTER TABLE user_name_history ADD COLUMN IF NOT EXISTS last_seen_at TIMESTAMPTZ;
UPDATE user_name_history SET last_seen_at = first_seen_at WHERE last_seen_at IS NULL;
-- the current name was last seen with the user's newest snapshot
UPDATE user_name_history h SET last_seen_at = u.snapshot_at
  FROM users u
 WHERE u.user_id = h.user_id AND u.snapshot_at > h.last_seen_at
   AND COALESCE(u.username, '') = COALESCE(h.username, '') AND COALESCE(u.first_name, '') = COALESCE(h.first_name, '')
   AND COALESCE(u.last_name, '') = COALESCE(h.last_name, '');
ALTER TABLE user_name_history ALTER COLUMN last_seen_at SET NOT NULL;

ALTER TABLE user_name_history ADD COLUMN search_text text GENERATED ALWAYS AS (
    translate(lower(COALESCE(username, '') || E'\n' || COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')
                    || E'\x1F' || COALESCE(last_name, '')), '_', 'ǂ')) STORED;
-- former usernames (exact and prefix), first-name / "first last" prefixes and last-name prefixes
CREATE INDEX user_name_history_search_prefix_idx ON user_name_history (search_text text_pattern_ops);
CREATE INDEX user_name_history_search_name_prefix_idx
    ON user_name_history (split_part(search_text, E'\n', 2) text_pattern_ops);
CREATE INDEX user_name_history_search_last_name_prefix_idx
    ON user_name_history (split_part(search_text, E'\x1F', 2) text_pattern_ops);

-- 2. tombstones and audit ------------------------------------------------------------------------------------------
-- One row per erased user: records dated at or before erased_at never come back.
CREATE TABLE erased_users (
    user_id   BIGINT      PRIMARY KEY,
    erased_at TIMESTAMPTZ NOT NULL
);

-- Every erasure and export: who (the caller's API key id), when, what.
CREATE TABLE audit_log (
    id          BIGSERIAL   PRIMARY KEY,
    occurred_at TIMESTAMPTZ NOT NULL,
    caller      TEXT        NOT NULL,
    action      TEXT        NOT NULL,
    user_id     BIGINT      NOT NULL,
    details     TEXT
);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, occurred_at);

-- An erased registration keeps no email.
ALTER TABLE free_lesson_registrations ALTER COLUMN email DROP NOT NULL;

-- 3. the tombstone rule --------------------------------------------------------------------------------------------
-- Each trigger first takes advisory lock (20250, 2) shared (cheap: held once per transaction); an erasure takes it
-- exclusively for its transaction. So a write that checked "not erased" cannot commit rows after an erasure
-- deleted that user's rows: an erasure waits for writes in flight, and writes wait for the erasure to commit
-- (then they see its tombstone). The lookup itself is one primary-key probe into a small table.

CREATE FUNCTION registry_users_after_erasure() RETURNS trigger
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
    IF NEW.first_seen_at <= erased THEN
        -- the earliest time of this row known to be after the erasure (LEAST ignores NULLs)
        NEW.first_seen_at := LEAST(NEW.snapshot_at, NEW.copied_names_at, NEW.language_at, NEW.active_changed_at,
                                   NEW.last_seen_at);
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION registry_events_after_erasure() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    erased timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock_shared(20250, 2);
    SELECT erased_at INTO erased FROM erased_users WHERE user_id = NEW.user_id;
    IF erased IS NOT NULL AND COALESCE(NEW.created_at, '-infinity') <= erased THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION registry_names_after_erasure() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    erased timestamptz;
BEGIN
    -- a writer that knows only first sightings (older builds, the bot) still gets a last sighting
    NEW.last_seen_at := GREATEST(COALESCE(NEW.last_seen_at, NEW.first_seen_at), NEW.first_seen_at);
    PERFORM pg_advisory_xact_lock_shared(20250, 2);
    SELECT erased_at INTO erased FROM erased_users WHERE user_id = NEW.user_id;
    IF erased IS NULL THEN
        RETURN NEW;
    END IF;
    IF NEW.last_seen_at <= erased THEN
        RETURN NULL;
    END IF;
    IF NEW.first_seen_at <= erased THEN
        NEW.first_seen_at := NEW.last_seen_at;
    END IF;
    RETURN NEW;
END
$$;

-- Bookings and registrations of an erased user stay for accounting, anonymized the way an erasure leaves them:
-- user_id becomes minus the row's own id (links to nobody), names and email are removed.
CREATE FUNCTION registry_bookings_after_erasure() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    erased timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock_shared(20250, 2);
    SELECT erased_at INTO erased FROM erased_users WHERE user_id = NEW.user_id;
    IF erased IS NOT NULL AND COALESCE(NEW.changed_at, NEW.created_at, '-infinity') <= erased THEN
        NEW.user_id := -NEW.id;
        NEW.username := NULL;
        NEW.first_name := NULL;
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION registry_registrations_after_erasure() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    erased timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock_shared(20250, 2);
    SELECT erased_at INTO erased FROM erased_users WHERE user_id = NEW.user_id;
    IF erased IS NOT NULL AND COALESCE(NEW.registered_at, '-infinity') <= erased THEN
        NEW.user_id := -NEW.id;
        NEW.username := NULL;
        NEW.first_name := NULL;
        NEW.email := NULL;
    END IF;
    RETURN NEW;
END
$$;

-- Named so that each fires before the table's other BEFORE triggers (they fire in name order): a dropped event
-- never takes the lead-activity lock.
CREATE TRIGGER users_erased_guard BEFORE INSERT ON users
    FOR EACH ROW EXECUTE FUNCTION registry_users_after_erasure();
CREATE TRIGGER events_erased_guard BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION registry_events_after_erasure();
CREATE TRIGGER user_name_history_erased_guard BEFORE INSERT ON user_name_history
    FOR EACH ROW EXECUTE FUNCTION registry_names_after_erasure();
CREATE TRIGGER bookings_erased_guard BEFORE INSERT OR UPDATE ON bookings
    FOR EACH ROW EXECUTE FUNCTION registry_bookings_after_erasure();
CREATE TRIGGER free_lesson_registrations_erased_guard BEFORE INSERT OR UPDATE ON free_lesson_registrations
    FOR EACH ROW EXECUTE FUNCTION registry_registrations_after_erasure();

-- 4. name history from the bot's own tables ------------------------------------------------------------------------
-- Each (username, first_name) copy found in bookings, registrations or events.details, with its first and last
-- sighting. A copy carries no last name: it widens a history row of the same username and first name when there
-- is one (e.g. the Telegram snapshot's), else it becomes a row of its own. Running it again changes nothing.
CREATE FUNCTION registry_backfill_name_history_range(lo BIGINT, hi BIGINT) RETURNS BIGINT
LANGUAGE plpgsql AS $fn$
DECLARE
    widened BIGINT;
    added BIGINT;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS copied_names (user_id BIGINT, username TEXT, first_name TEXT,
                                                  first_seen TIMESTAMPTZ, last_seen TIMESTAMPTZ) ON COMMIT DROP;
    TRUNCATE copied_names;
    INSERT INTO copied_names
    SELECT user_id, username, first_name, min(at), max(at) FROM (
        SELECT user_id, created_at AS at, NULLIF(btrim(username), '') AS username, NULLIF(btrim(first_name), '') AS first_name
          FROM bookings WHERE user_id > lo AND user_id <= hi AND created_at IS NOT NULL
        UNION ALL
        SELECT user_id, registered_at, NULLIF(btrim(username), ''), NULLIF(btrim(first_name), '')
          FROM free_lesson_registrations WHERE user_id > lo AND user_id <= hi AND registered_at IS NOT NULL
        UNION ALL
        SELECT user_id, created_at, NULLIF(btrim(details ->> 'username'), ''), NULLIF(btrim(details ->> 'first_name'), '')
          FROM events WHERE user_id > lo AND user_id <= hi AND created_at IS NOT NULL
    ) sightings
    WHERE username IS NOT NULL OR first_name IS NOT NULL
    GROUP BY user_id, username, first_name;

    UPDATE user_name_history h
       SET first_seen_at = LEAST(h.first_seen_at, c.first_seen), last_seen_at = GREATEST(h.last_seen_at, c.last_seen)
      FROM copied_names c
     WHERE h.user_id = c.user_id AND h.username IS NOT DISTINCT FROM c.username
       AND h.first_name IS NOT DISTINCT FROM c.first_name
       AND (c.first_seen < h.first_seen_at OR c.last_seen > h.last_seen_at);
    GET DIAGNOSTICS widened = ROW_COUNT;

    INSERT INTO user_name_history (user_id, username, first_name, last_name, first_seen_at, last_seen_at)
    SELECT c.user_id, c.username, c.first_name, NULL, c.first_seen, c.last_seen
      FROM copied_names c
     WHERE NOT EXISTS (SELECT 1 FROM user_name_history h
                        WHERE h.user_id = c.user_id AND h.username IS NOT DISTINCT FROM c.username
                          AND h.first_name IS NOT DISTINCT FROM c.first_name)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS added = ROW_COUNT;
    RETURN widened + added;
END
$fn$;

CREATE PROCEDURE registry_backfill_name_history(chunk_events INT DEFAULT 200000)
LANGUAGE plpgsql AS $pr$
DECLARE
    lo BIGINT := 0;
    hi BIGINT;
    top BIGINT;
    changed BIGINT := 0;
    started TIMESTAMPTZ := clock_timestamp();
BEGIN
    SELECT GREATEST((SELECT max(user_id) FROM events), (SELECT max(user_id) FROM bookings),
                    (SELECT max(user_id) FROM free_lesson_registrations)) INTO top;
    IF top IS NULL OR top <= 0 THEN
        RAISE NOTICE 'name history backfill: nothing to do';
        RETURN;
    END IF;
    LOOP
        SELECT user_id INTO hi FROM events WHERE user_id > lo ORDER BY user_id OFFSET chunk_events LIMIT 1;
        IF hi IS NULL THEN
            hi := top;
        END IF;
        changed := changed + registry_backfill_name_history_range(lo, hi);
        COMMIT;
        RAISE NOTICE 'name history backfill: user ids up to % done, % names written, % s',
            hi, changed, round(extract(epoch FROM clock_timestamp() - started)::numeric, 1);
        EXIT WHEN hi >= top;
        lo := hi;
    END LOOP;
END
$pr$;

CALL registry_backfill_name_history();
