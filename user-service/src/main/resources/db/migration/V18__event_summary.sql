-- Segments (issue 23): the did / did_not filters read a per-(user, event type) summary of events instead of the
-- 10M-row events table. It is kept OFF the ingest path: nothing fires when an event is inserted. user-service's
-- EventSummaryJob folds the events above a watermark into it every few seconds (registry.fold_event_summary), and a
-- segment query reads the summary plus the events above the watermark, so an answer is exact whether or not the job
-- has run (docs/DESIGN.md "Event summary").
--
-- The watermark moves only to a safe horizon: events.id comes from a sequence, and a transaction can take a lower id
-- and commit after one with a higher id. A fold first records a candidate (the highest committed id, the time, and
-- the snapshot's xmax); a later fold moves the watermark to it only once every transaction that could hold a lower
-- id has ended: none of the snapshot's xids is still running (pg_snapshot_xmin >= the recorded xmax), and no client
-- transaction that began before the candidate is still open (an id is taken inside a transaction, possibly before
-- that transaction has an xid).
--
-- Deletes and updates of events (an erasure; fixtures) recount the summary rows of the pairs they touch, under the
-- fold's lock, so a deleted event never stays counted; deleting a user deletes their summary rows.

CREATE TABLE IF NOT EXISTS registry.user_event_summary (
    user_id    BIGINT      NOT NULL,
    event_type TEXT        NOT NULL,
    events     BIGINT      NOT NULL,
    first_at   TIMESTAMPTZ,
    last_at    TIMESTAMPTZ,
    PRIMARY KEY (user_id, event_type)
);
-- did=type:1:D counted from the summary (a range of the type), did=type:N beyond the totals' rows.
CREATE INDEX IF NOT EXISTS user_event_summary_type_last_idx ON registry.user_event_summary (event_type, last_at) INCLUDE (events);

-- How many users did each event type exactly `events` times (folded events only): did=type[:N] counted alone sums a
-- few rows of it. Kept by statement triggers on the summary.
CREATE TABLE IF NOT EXISTS registry.event_type_totals (
    event_type TEXT   NOT NULL,
    events     BIGINT NOT NULL,
    users      BIGINT NOT NULL,
    PRIMARY KEY (event_type, events)
);

-- One row: events with id <= folded_up_to are in the summary; the candidate is the next watermark.
CREATE TABLE IF NOT EXISTS registry.event_summary_state (
    one             BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    folded_up_to    BIGINT      NOT NULL DEFAULT 0,
    candidate_up_to BIGINT      NOT NULL DEFAULT 0,
    candidate_at    TIMESTAMPTZ NOT NULL DEFAULT '-infinity',
    candidate_xmax  xid8        NOT NULL DEFAULT '0',
    folded_at       TIMESTAMPTZ
);
INSERT INTO registry.event_summary_state DEFAULT VALUES ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION registry.event_type_totals_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    -- in key order, so that two writers cannot deadlock on the same rows
    IF TG_OP = 'INSERT' THEN
        INSERT INTO registry.event_type_totals AS t (event_type, events, users)
        SELECT event_type, events, count(*) FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (event_type, events) DO UPDATE SET users = t.users + excluded.users;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO registry.event_type_totals AS t (event_type, events, users)
        SELECT event_type, events, -count(*) FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (event_type, events) DO UPDATE SET users = t.users + excluded.users;
    ELSE
        INSERT INTO registry.event_type_totals AS t (event_type, events, users)
        SELECT event_type, events, sum(delta) FROM (
            SELECT event_type, events, 1 AS delta FROM new_rows
            UNION ALL
            SELECT event_type, events, -1 FROM old_rows) d
         GROUP BY 1, 2 HAVING sum(delta) <> 0 ORDER BY 1, 2
        ON CONFLICT (event_type, events) DO UPDATE SET users = t.users + excluded.users;
    END IF;
    DELETE FROM registry.event_type_totals WHERE users = 0;
    RETURN NULL;
END
$fn$;

DROP TRIGGER IF EXISTS user_event_summary_totals_insert ON registry.user_event_summary;
CREATE TRIGGER user_event_summary_totals_insert AFTER INSERT ON registry.user_event_summary
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry.event_type_totals_change();
DROP TRIGGER IF EXISTS user_event_summary_totals_update ON registry.user_event_summary;
CREATE TRIGGER user_event_summary_totals_update AFTER UPDATE ON registry.user_event_summary
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry.event_type_totals_change();
DROP TRIGGER IF EXISTS user_event_summary_totals_delete ON registry.user_event_summary;
CREATE TRIGGER user_event_summary_totals_delete AFTER DELETE ON registry.user_event_summary
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry.event_type_totals_change();

-- Folds at most max_ids ids of events above the watermark (up to the safe candidate) into the summary, in one
-- transaction; returns how far the watermark moved (0: nothing safe to fold now, -1: another instance is folding).
-- Only events of existing users are folded (the pipeline writes an event and its user in one transaction).
CREATE OR REPLACE FUNCTION registry.fold_event_summary(max_ids BIGINT) RETURNS BIGINT
LANGUAGE plpgsql AS $fn$
DECLARE
    st    registry.event_summary_state;
    hi    BIGINT;
    moved BIGINT := 0;
BEGIN
    IF NOT pg_try_advisory_xact_lock(20250, 18) THEN
        RETURN -1;
    END IF;
    SELECT * INTO st FROM registry.event_summary_state;
    IF st.candidate_up_to > st.folded_up_to
       AND pg_snapshot_xmin(pg_current_snapshot()) >= st.candidate_xmax
       AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                        WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
                          AND a.backend_type = 'client backend' AND a.xact_start < st.candidate_at) THEN
        hi := LEAST(st.candidate_up_to, st.folded_up_to + max_ids);
        INSERT INTO registry.user_event_summary AS s (user_id, event_type, events, first_at, last_at)
        SELECT e.user_id, e.event_type, count(*), min(e.created_at), max(e.created_at)
          FROM registry.events e
         WHERE e.id > st.folded_up_to AND e.id <= hi
           AND EXISTS (SELECT 1 FROM registry.users u WHERE u.user_id = e.user_id)
         GROUP BY 1, 2
         ORDER BY 1, 2
        ON CONFLICT (user_id, event_type) DO UPDATE
           SET events = s.events + excluded.events,
               first_at = LEAST(s.first_at, excluded.first_at),
               last_at = GREATEST(s.last_at, excluded.last_at);
        moved := hi - st.folded_up_to;
        st.folded_up_to := hi;
        UPDATE registry.event_summary_state SET folded_up_to = hi, folded_at = clock_timestamp();
    END IF;
    IF st.folded_up_to >= st.candidate_up_to THEN
        UPDATE registry.event_summary_state
           SET candidate_up_to = GREATEST(st.folded_up_to, COALESCE((SELECT max(id) FROM registry.events), 0)),
               candidate_at = clock_timestamp(),
               candidate_xmax = pg_snapshot_xmax(pg_current_snapshot());
    END IF;
    RETURN moved;
END
$fn$;

-- The summary rows of these pairs counted again from their folded events (id <= the watermark); the caller holds
-- (20250, 18).
CREATE OR REPLACE FUNCTION registry.recount_event_summary(user_ids BIGINT[], types TEXT[]) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
    folded BIGINT := (SELECT folded_up_to FROM registry.event_summary_state);
BEGIN
    DELETE FROM registry.user_event_summary s
     USING (SELECT DISTINCT * FROM unnest(user_ids, types) AS p (user_id, event_type)) p
     WHERE s.user_id = p.user_id AND s.event_type = p.event_type;
    INSERT INTO registry.user_event_summary (user_id, event_type, events, first_at, last_at)
    SELECT e.user_id, e.event_type, count(*), min(e.created_at), max(e.created_at)
      FROM (SELECT DISTINCT * FROM unnest(user_ids, types) AS p (user_id, event_type)) p
      JOIN registry.events e ON e.user_id = p.user_id AND e.event_type = p.event_type
     WHERE e.id <= folded AND EXISTS (SELECT 1 FROM registry.users u WHERE u.user_id = e.user_id)
     GROUP BY 1, 2
     ORDER BY 1, 2;
END
$fn$;

CREATE OR REPLACE FUNCTION registry.event_summary_after_delete() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    user_ids BIGINT[];
    types    TEXT[];
BEGIN
    PERFORM pg_advisory_xact_lock_shared(20250, 18);
    SELECT array_agg(user_id), array_agg(event_type) INTO user_ids, types
      FROM (SELECT DISTINCT user_id, event_type FROM old_rows
             WHERE id <= (SELECT folded_up_to FROM registry.event_summary_state)) p;
    IF user_ids IS NOT NULL THEN
        PERFORM registry.recount_event_summary(user_ids, types);
    END IF;
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION registry.event_summary_after_update() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(20250, 18);
    PERFORM registry.recount_event_summary(ARRAY[OLD.user_id, NEW.user_id], ARRAY[OLD.event_type, NEW.event_type]::TEXT[]);
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION registry.event_summary_after_user_delete() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(20250, 18);
    DELETE FROM registry.user_event_summary s USING old_rows o WHERE s.user_id = o.user_id;
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION registry.event_summary_after_truncate() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(20250, 18);
    DELETE FROM registry.user_event_summary;
    RETURN NULL;
END
$fn$;

-- Only deletes, updates of the counted columns and truncates fire these: an INSERT (the ingest path) fires none.
DROP TRIGGER IF EXISTS events_summary_delete ON registry.events;
CREATE TRIGGER events_summary_delete AFTER DELETE ON registry.events
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry.event_summary_after_delete();
DROP TRIGGER IF EXISTS events_summary_update ON registry.events;
CREATE TRIGGER events_summary_update AFTER UPDATE OF user_id, event_type, created_at ON registry.events
    FOR EACH ROW WHEN ((OLD.user_id, OLD.event_type, OLD.created_at) IS DISTINCT FROM (NEW.user_id, NEW.event_type, NEW.created_at))
    EXECUTE FUNCTION registry.event_summary_after_update();
DROP TRIGGER IF EXISTS events_summary_truncate ON registry.events;
CREATE TRIGGER events_summary_truncate AFTER TRUNCATE ON registry.events
    FOR EACH STATEMENT EXECUTE FUNCTION registry.event_summary_after_truncate();
DROP TRIGGER IF EXISTS users_summary_delete ON registry.users;
CREATE TRIGGER users_summary_delete AFTER DELETE ON registry.users
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry.event_summary_after_user_delete();

-- Existing events folded in chunks, each its own transaction (online: ingest never waits for it; an erasure waits
-- for at most one chunk). Stops after max_wait_seconds without a safe horizon; the job goes on from there.
-- CALL registry.rebuild_event_summary() empties the summary and folds everything again (answers stay exact
-- meanwhile: the events above the watermark, here all of them, are read directly).
CREATE OR REPLACE PROCEDURE registry.backfill_event_summary(chunk_ids BIGINT DEFAULT 200000, max_wait_seconds INT DEFAULT 60)
LANGUAGE plpgsql AS $pr$
DECLARE
    moved   BIGINT;
    waited  INT := 0;
    started TIMESTAMPTZ := clock_timestamp();
BEGIN
    LOOP
        moved := registry.fold_event_summary(chunk_ids);
        COMMIT;
        IF moved > 0 THEN
            CONTINUE;
        END IF;
        EXIT WHEN (SELECT folded_up_to >= COALESCE((SELECT max(id) FROM registry.events), 0) FROM registry.event_summary_state)
               OR waited >= max_wait_seconds * 5;
        PERFORM pg_sleep(0.2);
        waited := waited + 1;
    END LOOP;
    RAISE NOTICE 'event summary backfill: folded up to id % in % s',
        (SELECT folded_up_to FROM registry.event_summary_state), round(extract(epoch FROM clock_timestamp() - started)::numeric, 1);
END
$pr$;

CREATE OR REPLACE PROCEDURE registry.rebuild_event_summary()
LANGUAGE plpgsql AS $pr$
BEGIN
    PERFORM pg_advisory_xact_lock(20250, 18);
    DELETE FROM registry.user_event_summary;
    UPDATE registry.event_summary_state SET folded_up_to = 0, candidate_up_to = 0, candidate_at = '-infinity', candidate_xmax = '0';
    COMMIT;
    CALL registry.backfill_event_summary();
END
$pr$;

CALL registry.backfill_event_summary();
