-- Segments (issue 23): how often each user did each event type, and when first and last — one row per user and
-- type — so that the segment filters did=type, type:N and type:1:D (and their did_not) read an index range or one
-- primary-key probe instead of the user's events (docs/DESIGN.md "Segments").
--
-- Kept by triggers on events, like the analytics rollups of V10: one grouped upsert per INSERT statement from its
-- transition table, which holds only the rows the statement really inserted (a redelivered event that ON CONFLICT
-- (event_id) skipped, or one the erasure guard dropped, is not in it), so nothing is counted twice; whichever
-- writer inserts (the consumers, adoption's copy, an older instance during a rolling deploy, a fixture). Deletes
-- (an erasure) and the rare update of a counted column count their pairs again from events.
--
-- Online on a live registry: the table and its triggers first (a brief lock on events), then existing events in
-- chunks of user ids, each recounted in its own transaction while event writers wait for it (advisory lock
-- (20250, 17), which every trigger here takes shared): a chunk is counted from a snapshot that holds every
-- committed event of its users and no event in flight, so it is exact, and writes resume after it.
-- Idempotent: CALL registry.backfill_event_counts(); recounts everything again.

CREATE TABLE IF NOT EXISTS registry.user_event_counts (
    user_id    BIGINT      NOT NULL,
    event_type TEXT        NOT NULL,
    events     BIGINT      NOT NULL,
    first_at   TIMESTAMPTZ,
    last_at    TIMESTAMPTZ,
    PRIMARY KEY (user_id, event_type)
);

-- The pairs' rows replaced by a count of their events (deletes, updates, the backfill). Each statement reads a
-- fresh snapshot; the caller holds (20250, 17) shared or exclusive.
CREATE OR REPLACE FUNCTION registry.recount_event_pairs(user_ids BIGINT[], types TEXT[]) RETURNS void
LANGUAGE sql AS $fn$
    DELETE FROM registry.user_event_counts c
     USING unnest(user_ids, types) AS p (user_id, event_type)
     WHERE c.user_id = p.user_id AND c.event_type = p.event_type;
    INSERT INTO registry.user_event_counts (user_id, event_type, events, first_at, last_at)
    SELECT e.user_id, e.event_type, count(*), min(e.created_at), max(e.created_at)
      FROM (SELECT DISTINCT user_id, event_type FROM unnest(user_ids, types) AS p (user_id, event_type)) p
      JOIN registry.events e ON e.user_id = p.user_id AND e.event_type = p.event_type
     GROUP BY 1, 2
     ORDER BY 1, 2;
$fn$;

CREATE OR REPLACE FUNCTION registry.count_inserted_events() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(20250, 17);
    -- in key order, so that two batches touching the same rows cannot deadlock
    INSERT INTO registry.user_event_counts AS c (user_id, event_type, events, first_at, last_at)
    SELECT user_id, event_type, count(*), min(created_at), max(created_at) FROM new_rows
     WHERE user_id IS NOT NULL AND event_type IS NOT NULL
     GROUP BY 1, 2
     ORDER BY 1, 2
    ON CONFLICT (user_id, event_type) DO UPDATE
       SET events = c.events + excluded.events,
           first_at = LEAST(c.first_at, excluded.first_at),
           last_at = GREATEST(c.last_at, excluded.last_at);
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION registry.recount_deleted_events() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    user_ids BIGINT[];
    types    TEXT[];
BEGIN
    PERFORM pg_advisory_xact_lock_shared(20250, 17);
    SELECT array_agg(user_id ORDER BY user_id, event_type), array_agg(event_type ORDER BY user_id, event_type)
      INTO user_ids, types
      FROM (SELECT DISTINCT user_id, event_type FROM old_rows WHERE user_id IS NOT NULL AND event_type IS NOT NULL) p;
    IF user_ids IS NOT NULL THEN
        PERFORM registry.recount_event_pairs(user_ids, types);
    END IF;
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION registry.recount_updated_event() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(20250, 17);
    PERFORM registry.recount_event_pairs(ARRAY[OLD.user_id, NEW.user_id], ARRAY[OLD.event_type, NEW.event_type]);
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION registry.clear_event_counts() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(20250, 17);
    DELETE FROM registry.user_event_counts;
    RETURN NULL;
END
$fn$;

-- All four triggers in one short transaction (an event written between two of them would miss one); the lock on
-- events is waited for in steps of 1 s, so writers queue behind it for at most that long.
DO $$
BEGIN
    FOR attempt IN 1..600 LOOP
        BEGIN
            PERFORM set_config('lock_timeout', '1s', true);
            LOCK TABLE registry.events IN SHARE ROW EXCLUSIVE MODE;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            PERFORM pg_sleep(0.2);
        END;
    END LOOP;
    PERFORM set_config('lock_timeout', '0', true);
    DROP TRIGGER IF EXISTS events_count_insert ON registry.events;
    CREATE TRIGGER events_count_insert AFTER INSERT ON registry.events
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry.count_inserted_events();
    DROP TRIGGER IF EXISTS events_count_delete ON registry.events;
    CREATE TRIGGER events_count_delete AFTER DELETE ON registry.events
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry.recount_deleted_events();
    DROP TRIGGER IF EXISTS events_count_update ON registry.events;
    CREATE TRIGGER events_count_update AFTER UPDATE OF user_id, event_type, created_at ON registry.events
        FOR EACH ROW WHEN ((OLD.user_id, OLD.event_type, OLD.created_at) IS DISTINCT FROM
                           (NEW.user_id, NEW.event_type, NEW.created_at))
        EXECUTE FUNCTION registry.recount_updated_event();
    DROP TRIGGER IF EXISTS events_count_truncate ON registry.events;
    CREATE TRIGGER events_count_truncate AFTER TRUNCATE ON registry.events
        FOR EACH STATEMENT EXECUTE FUNCTION registry.clear_event_counts();
END
$$;

-- Existing events: about chunk_events events (whole users) per transaction, progress as NOTICEs (Flyway logs them).
CREATE OR REPLACE PROCEDURE registry.backfill_event_counts(chunk_events INT DEFAULT 100000)
LANGUAGE plpgsql AS $pr$
DECLARE
    lo      BIGINT;
    hi      BIGINT;
    top     BIGINT;
    written BIGINT := 0;
    n       BIGINT;
    started TIMESTAMPTZ := clock_timestamp();
BEGIN
    SELECT min(user_id) - 1, max(user_id) INTO lo, top FROM registry.events;
    IF top IS NULL THEN
        RAISE NOTICE 'event counts backfill: no events';
        RETURN;
    END IF;
    LOOP
        SELECT user_id INTO hi FROM registry.events WHERE user_id > lo ORDER BY user_id OFFSET chunk_events LIMIT 1;
        hi := COALESCE(hi, top);
        PERFORM pg_advisory_xact_lock(20250, 17);
        DELETE FROM registry.user_event_counts WHERE user_id > lo AND user_id <= hi;
        INSERT INTO registry.user_event_counts (user_id, event_type, events, first_at, last_at)
        SELECT user_id, event_type, count(*), min(created_at), max(created_at) FROM registry.events
         WHERE user_id > lo AND user_id <= hi AND event_type IS NOT NULL
         GROUP BY 1, 2;
        GET DIAGNOSTICS n = ROW_COUNT;
        written := written + n;
        COMMIT;
        EXIT WHEN hi >= top;
        lo := hi;
    END LOOP;
    RAISE NOTICE 'event counts backfill: % rows for user ids up to % in % s', written, top,
        round(extract(epoch FROM clock_timestamp() - started)::numeric, 1);
END
$pr$;

CALL registry.backfill_event_counts();

-- did=type[:N] counted alone (an index-only range of the type), did=type:1:D (the range last_at >= now - D). Built
-- after the backfill, and CONCURRENTLY: the triggers keep writing the table meanwhile.
CREATE INDEX CONCURRENTLY IF NOT EXISTS user_event_counts_type_last_idx
    ON registry.user_event_counts (event_type, last_at) INCLUDE (events);

-- is_premium=true, and is_premium=false as all users less these: counted from this index alone. Partial, so a user
-- who is not premium costs it nothing; CONCURRENTLY, so users keeps taking writes while it is built.
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_premium_idx ON registry.users (user_id) WHERE is_premium IS TRUE;

-- reachable_by_dm counted alone: all users less the blocked ones (user_counts) less the active users never seen in a
-- private chat, which this index holds (with is_active, so it is read alone); a user seen in a private chat costs it
-- nothing.
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_no_private_chat_idx ON registry.users (is_active) WHERE private_chat_since IS NULL;

-- Profile values counted alone (study_track=..., onboarding_completed=true) and their negations (lacks=study_track,
-- onboarding_completed=false) as all users less these: partial indexes, written only by a bot's profile writes
-- (never by ingest), and only for profiles that hold the value.
CREATE INDEX CONCURRENTLY IF NOT EXISTS user_profiles_onboarded_idx ON registry.user_profiles (user_id)
    WHERE onboarding_completed IS TRUE;
CREATE INDEX CONCURRENTLY IF NOT EXISTS user_profiles_study_track_idx ON registry.user_profiles (study_track)
    WHERE study_track IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS user_profiles_grade_band_idx ON registry.user_profiles (grade_band)
    WHERE grade_band IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS user_profiles_grade_year_idx ON registry.user_profiles (grade_year)
    WHERE grade_year IS NOT NULL;
